/**
 * The scenario language: Kubernetes-style YAML ({@code apiVersion: kpsim/v1}, {@code kind: Scenario})
 * parsed with SnakeYAML's node API (so every value keeps its line and column), {@code --set}
 * overrides applied to that tree, and binding to immutable, validated spec records.
 *
 * <p>The only package that imports SnakeYAML. Entry point: {@link io.kpsim.scenario.ScenarioLoader}.
 * Every problem a user can cause is collected (never only the first) and reported as
 * {@code FILE:LINE:COLUMN: what is wrong (expected ...)} through {@link io.kpsim.scenario.ScenarioException};
 * the format is documented in {@code src/docs/scenario-format.md}.
 */
package io.kpsim.scenario;
