package io.kpsim.conntrack;

import io.kpsim.packet.Protocol;

/**
 * {@code nf_conntrack_in()} for TCP: {@code resolve_normal_ct()} finds the entry for the segment's
 * tuple in either direction or allocates an unconfirmed one ({@code init_conntrack()}, where
 * {@code tcp_new()} may refuse it), then {@code nf_conntrack_tcp_packet()} ({@link TcpTracker})
 * decides. Up to 4.19 {@code tcp_error()} ran before the lookup; from 5.0
 * ({@link io.kpsim.conntrack.profile.Switch#L4_ERROR_AFTER_LOOKUP}) after it. A {@code -NF_REPEAT}
 * (a SYN reopening a closing entry) kills the entry and looks up again, as the kernel's
 * {@code nf_conntrack_in()} loop does. Established segments allocate nothing.
 */
final class TcpPath {

    private final TcpTracker tcp;
    private final Counters counters;
    /** Up to 5.0: a {@code -NF_REPEAT} counts {@code invalid} before the new lookup. */
    private final boolean repeatCountsInvalid;

    TcpPath(TcpTracker tcp, Counters counters, boolean repeatCountsInvalid) {
        this.tcp = tcp;
        this.counters = counters;
        this.repeatCountsInvalid = repeatCountsInvalid;
    }

    /** Handles one segment whose fields {@code h} holds; returns a {@link PackedResult}. */
    int in(Conntrack ct, EntryTable entries, TcpHeaderFields h, boolean checksumValid, long now) {
        Refusals refusals = ct.refusals();
        if (!refusals.l4ErrorAfterLookup() && refusals.refusedBeforeLookup(tcp.error(h, checksumValid))) {
            return PackedResult.INVALID; // up to 4.19: l4proto->error() ran before the lookup
        }
        long kh = ConnTable.keyHigh(h.srcIp, h.dstIp);
        long kl = ConnTable.keyLow(Protocol.TCP.number(), h.srcPort, h.dstPort);
        while (true) {
            int found = entries.lookup(kh, kl, now);
            int e;
            int dir;
            if (found == ConnTable.NOT_FOUND) {
                e = entries.allocate(
                        kh,
                        kl,
                        ConnTable.keyHigh(h.dstIp, h.srcIp),
                        ConnTable.keyLow(Protocol.TCP.number(), h.dstPort, h.srcPort),
                        Protocol.TCP.number(),
                        now);
                if (e < 0) {
                    return refusals.tableFull();
                }
                dir = 0;
                if ((refusals.l4ErrorAfterLookup() && refusals.refusedAfterLookup(tcp.error(h, checksumValid)))
                        || !newTcp(e, h)) {
                    entries.discardUnconfirmed(e);
                    return PackedResult.INVALID;
                }
            } else {
                e = TupleHashRef.entry(found);
                dir = TupleHashRef.dir(found);
                if (refusals.l4ErrorAfterLookup() && refusals.refusedAfterLookup(tcp.error(h, checksumValid))) {
                    return PackedResult.INVALID;
                }
            }
            int kind = CtInfo.of(entries.store, e, dir);
            int action = tcp.packet(e, dir, h, now);
            switch (action) {
                case TrackerAction.ACCEPT, TrackerAction.IGNORE, TrackerAction.ACCEPT_KILLED -> {
                    boolean ignored = action == TrackerAction.IGNORE;
                    if (action == TrackerAction.ACCEPT_KILLED) {
                        entries.kill(e);
                    }
                    CtInfo.seenReply(entries.store, e, dir);
                    return PackedResult.of(kind, dir, e, ignored);
                }
                case TrackerAction.REPEAT -> { // -NF_REPEAT: look up again
                    if (repeatCountsInvalid) {
                        counters.invalid++;
                    }
                    entries.kill(e);
                }
                default -> {
                    counters.invalid++;
                    if ((entries.store.status(e) & Status.CONFIRMED) == 0) {
                        entries.discardUnconfirmed(e);
                    }
                    return PackedResult.INVALID;
                }
            }
        }
    }

    /** {@code tcp_new()}: whether the first segment may create an entry; counts {@code invalid} if not. */
    private boolean newTcp(int e, TcpHeaderFields h) {
        if (tcp.newConnection(e, h)) {
            return true;
        }
        counters.invalid++;
        return false;
    }
}
