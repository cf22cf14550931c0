package io.kpsim.report.html;

/**
 * One vertical line of the ladder: a pod, or a node's netfilter.
 *
 * @param name the pod or node name, as the scenario names it
 * @param kind pod or node
 * @param node for a pod, the node it runs on ({@code null} when the trace did not show it); for a
 *             node, its own name
 */
public record Lane(String name, LaneKind kind, String node) {}
