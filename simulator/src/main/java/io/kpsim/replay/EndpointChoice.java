package io.kpsim.replay;

/** Where a new connection's endpoint came from, when its service has a choice to make. */
public enum EndpointChoice {
    /** No {@code -m statistic} draw: no choice (one endpoint, or not a new connection). */
    NONE,
    /** The node's own copy of the packet showed where the kernel sent it. */
    CAPTURE,
    /** The capture did not show it: drawn from the seed, as kube-proxy's rules draw at random. */
    SEED
}
