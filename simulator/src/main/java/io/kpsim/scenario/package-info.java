/**
 * The scenario language: Kubernetes-style YAML ({@code apiVersion: kpsim/v1}, {@code kind: Scenario})
 * parsed with SnakeYAML's node API (so every value keeps its line and column), {@code --set}
 * overrides applied to that tree, and binding to immutable, validated spec records: the cluster
 * model's own ({@code io.kpsim.cluster.NodeSpec}, {@code PodSpec}, {@code ServiceSpec},
 * {@code WorkloadSpec}, {@code InjectionSpec}) for what the model runs, and this package's for what
 * only a scenario has (links as written, TCP tuning, kube-proxy settings, expectations).
 *
 * <p>The only package that imports SnakeYAML. Entry point: {@link io.kpsim.scenario.ScenarioLoader}.
 * Every problem a user can cause is collected (never only the first) and reported as
 * {@code FILE:LINE:COLUMN: what is wrong (expected ...)} through {@link io.kpsim.scenario.ScenarioException};
 * the format is documented in {@code src/docs/scenario-format.md}.
 *
 * <p>{@link io.kpsim.scenario.ScenarioBuilder} turns a loaded scenario into a running cluster
 * model, and {@link io.kpsim.scenario.ScenarioRun} runs it, observes it through the report
 * package and evaluates the scenario's {@code expect} section. Depends on report, cluster, tcp,
 * netfilter, conntrack, packet and engine; never on the CLI.
 */
package io.kpsim.scenario;
