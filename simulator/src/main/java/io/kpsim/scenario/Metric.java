package io.kpsim.scenario;

/**
 * The counters a scenario's {@code expect:} can test, summed over the whole run. They are the
 * numbers the failure story is told with: did connections reset, did conntrack see INVALID
 * packets, did the PR 74840 rule drop them.
 */
public enum Metric {
    /** TCP connections that completed the three-way handshake. */
    CONNECTIONS("connections"),
    /** Client operations that finished successfully (downloads received in full, loop connections closed cleanly). */
    COMPLETED("completed"),
    /** Connections aborted by a RST (the "Connection reset by peer" of the issue). */
    RESETS("resets"),
    /** Packets conntrack classified INVALID on any node. */
    INVALID("invalid"),
    /** INVALID packets dropped by KUBE-FORWARD's {@code --ctstate INVALID -j DROP}. */
    INVALID_DROPPED("invalidDropped"),
    /** Packets sent by all pods. */
    PACKETS("packets"),
    /** TCP segments retransmitted by all pods. */
    RETRANSMISSIONS("retransmissions");

    private final String yamlName;

    Metric(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The word used in YAML, e.g. {@code invalidDropped}. */
    public String yamlName() {
        return yamlName;
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
