/**
 * Fixture classes for {@link io.kpsim.LayeringRulesTest}: a miniature of kpsim's package tree in
 * which each rule of {@link io.kpsim.Layering} has one conforming and one violating example. Never
 * imported by {@link io.kpsim.ArchitectureTest} (test classes are excluded there).
 */
package io.kpsim.archfixture;
