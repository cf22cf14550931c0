/**
 * kpsim's stateful property harness, in plain JUnit 5 (tests only; nothing in {@code main} uses
 * it). A test implements {@link io.kpsim.property.StatefulSpec} (how to draw a config and steps,
 * start a machine, apply a step, check the invariants, simplify a step) and runs it with {@link
 * io.kpsim.property.StatefulProperty}: a fixed run seed yields one seed per chain and a chain seed
 * alone yields its chain, so every run checks the same chains; the first failing chain is shrunk
 * (deleting steps, then simpler steps and configs, keeping only candidates that fail on the same
 * line) and reported with its seed and the {@code mvn} command that replays it; a passing run is
 * held to the coverage the test requires.
 *
 * <p>Used by {@code io.kpsim.conntrack.ConntrackStatefulPropertyTest}; tested on planted bugs by
 * {@code StatefulPropertyTest}.
 */
package io.kpsim.property;
