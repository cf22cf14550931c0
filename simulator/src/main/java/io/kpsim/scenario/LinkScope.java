package io.kpsim.scenario;

/**
 * What a {@link LinkSpec} connects: two nodes (the underlay between node namespaces), or a pod and
 * its own node (the pod's veth pair).
 */
public enum LinkScope {
    /** {@code between: [node-a, node-b]}. */
    NODE_TO_NODE,
    /** {@code between: [pod, its-node]} (either order). */
    POD_TO_NODE
}
