package io.kpsim.conntrack;

/**
 * {@code nf_conntrack_proto_generic.c}: protocols conntrack does not understand are tracked by
 * address pair alone, with one timeout ({@code nf_conntrack_generic_timeout}, 600 s).
 */
final class GenericTracker {

    private final EntryStore s;
    private final Timeouts timeouts;

    GenericTracker(EntryStore store, Timeouts timeouts) {
        this.s = store;
        this.timeouts = timeouts;
    }

    /** {@code generic_packet()}: refresh. */
    void packet(int e, long now) {
        TcpTracker.refresh(s, e, timeouts.generic, now);
    }
}
