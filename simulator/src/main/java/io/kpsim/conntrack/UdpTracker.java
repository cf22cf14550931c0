package io.kpsim.conntrack;

/**
 * {@code nf_conntrack_udp_packet()} ({@code nf_conntrack_proto_udp.c}): UDP has no states, only
 * timeouts and ASSURED.
 *
 * <ul>
 *   <li>4.19: once a reply has been seen ({@code IPS_SEEN_REPLY}, set after the first reply has
 *       passed), every packet refreshes the stream timeout and sets ASSURED.</li>
 *   <li>6.18: a replied flow keeps the short timeout for its first two seconds
 *       ({@code stream_ts = 2 * HZ + jiffies} at creation); a packet after that extends it to the
 *       stream timeout and sets ASSURED.</li>
 * </ul>
 */
final class UdpTracker {

    private static final long STREAM_DELAY = 2_000_000_000L;

    private final EntryStore s;
    private final KernelVersion kernel;
    private final Timeouts timeouts;

    UdpTracker(EntryStore store, KernelVersion kernel, Timeouts timeouts) {
        this.s = store;
        this.kernel = kernel;
        this.timeouts = timeouts;
    }

    /** {@code udp_error()}: only the checksum can fail for a parsed datagram. */
    static CtReason error(Sysctls sysctls, boolean checksumValid) {
        return sysctls.checksum() && !checksumValid ? CtReason.BAD_CHECKSUM : null;
    }

    /** Handles one accepted datagram of entry {@code e}. */
    void packet(int e, long now) {
        int status = s.status(e);
        boolean confirmed = (status & Status.CONFIRMED) != 0;
        if (!confirmed) {
            s.setStreamTs(e, STREAM_DELAY); // relative until __nf_conntrack_confirm adds the time
        }
        if ((status & Status.SEEN_REPLY) == 0) {
            TcpTracker.refresh(s, e, timeouts.udpUnreplied, now);
            return;
        }
        if (kernel == KernelVersion.V4_19) {
            TcpTracker.refresh(s, e, timeouts.udpReplied, now);
            s.setStatus(e, status | Status.ASSURED);
            return;
        }
        long extra = timeouts.udpUnreplied;
        boolean stream = false;
        if (confirmed && now - s.streamTs(e) > 0) { // time_after(jiffies, stream_ts)
            extra = timeouts.udpReplied;
            stream = (status & Status.ASSURED) == 0;
        }
        TcpTracker.refresh(s, e, extra, now);
        if (stream) {
            s.setStatus(e, status | Status.ASSURED);
        }
    }
}
