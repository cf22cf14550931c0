package io.kpsim.scenario;

/**
 * The counters a scenario's {@code expect:} can test, summed over the whole run. They are the
 * numbers the failure story is told with: did connections reset, did conntrack see INVALID
 * packets, did the PR 74840 rule drop them. Every counter of {@code kpsim run --format json}'s
 * summary is one (in camelCase: {@code invalid_dropped} is {@code invalidDropped}).
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
    /** Packets a 6.1+ conntrack ignored: window failures it no longer calls INVALID (they keep their NAT). */
    IGNORED("ignored"),
    /** Packets sent by all pods. */
    PACKETS("packets"),
    /** Forged packets: scripted injections and the boom server's segments. */
    INJECTED("injected"),
    /** Scripted injections that found no open connection to forge on. */
    INJECTIONS_MISSED("injectionsMissed"),
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
