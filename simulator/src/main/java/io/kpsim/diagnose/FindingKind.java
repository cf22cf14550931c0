package io.kpsim.diagnose;

/** What caused a reset, in the words {@code kpsim diagnose} prints ({@link #word()}). */
public enum FindingKind {
    /**
     * The blog's pattern: a reply conntrack marked INVALID ({@code tcp_in_window()} failed) was
     * forwarded without reverse NAT, the client answered the pod IP with a RST, and that RST went
     * on to the server, whose connection it resets.
     */
    INVALID_REPLY_RESET("invalid-reply-reset"),
    /** A RST sent by one of the connection's own ends, tracked and NATed like its other packets. */
    APPLICATION_RESET("application-reset"),
    /** A RST answering a SYN: nothing listened on the endpoint's port. */
    CLOSED_PORT_RESET("closed-port-reset"),
    /** An INVALID reply that the node dropped (the INVALID drop rule), so no client RST followed. */
    PREVENTED_RESET("prevented-reset"),
    /** A RST that belongs to no connection the capture shows and follows no INVALID reply. */
    UNEXPLAINED_RESET("unexplained-reset");

    private final String word;

    FindingKind(String word) {
        this.word = word;
    }

    /** The kind as printed, e.g. {@code invalid-reply-reset}. */
    public String word() {
        return word;
    }
}
