package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;

/**
 * {@code nf_conntrack_udp_packet()} ({@code nf_conntrack_proto_udp.c}): UDP has no states, only
 * timeouts and ASSURED.
 *
 * <ul>
 *   <li>up to 4.19: once a reply has been seen ({@code IPS_SEEN_REPLY}, set after the first reply has
 *       passed), every packet refreshes the stream timeout and sets ASSURED.</li>
 *   <li>5.0+ ({@link Switch#UDP_STREAM_AFTER_2S}): a replied flow keeps the short timeout for its
 *       first two seconds ({@code stream_ts = 2 * HZ + jiffies} at creation); a packet after that
 *       extends it to the stream timeout. ASSURED is set by every packet once a reply was seen, or,
 *       with {@link Switch#UDP_ASSURED_IN_STREAM_ONLY} (5.4.160, 5.10.80, 5.15.3, 5.16), only when
 *       the flow enters the stream state.</li>
 *   <li>5.6+ {@code IPS_NAT_CLASH} entries are refreshed but never become ASSURED.</li>
 * </ul>
 */
final class UdpTracker {

    private static final long STREAM_DELAY = 2_000_000_000L;

    private final EntryStore s;
    private final boolean streamAfter2s;
    private final boolean assuredInStreamOnly;
    private final Timeouts timeouts;

    UdpTracker(EntryStore store, Kernel kernel, Timeouts timeouts) {
        this.s = store;
        this.streamAfter2s = kernel.has(Switch.UDP_STREAM_AFTER_2S);
        this.assuredInStreamOnly = kernel.has(Switch.UDP_ASSURED_IN_STREAM_ONLY);
        this.timeouts = timeouts;
    }

    /** {@code udp_error()}: only the checksum can fail for a parsed datagram. */
    static CtReason error(Sysctls sysctls, boolean checksumValid) {
        return sysctls.checksum() && !checksumValid ? CtReason.UDP_BAD_CHECKSUM : null;
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
        if (!streamAfter2s) {
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
        if ((status & Status.NAT_CLASH) != 0) {
            return; // "never set ASSURED for IPS_NAT_CLASH"
        }
        if (stream || (!assuredInStreamOnly && (status & Status.ASSURED) == 0)) {
            s.setStatus(e, status | Status.ASSURED);
        }
    }
}
