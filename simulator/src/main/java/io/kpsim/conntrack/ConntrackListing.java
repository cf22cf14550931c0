package io.kpsim.conntrack;

import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * The listing side of a tracker: what {@code conntrack -L} prints, built from the packed store the
 * way {@code ctnetlink_dump_table()} walks the hash table (confirmed entries only; an
 * {@code IPS_NAT_CLASH} entry's ORIGINAL tuplehash is not in the table, so it is not listed).
 * Expired entries are reaped first, as {@code ctnetlink_dump_table()} skips and the gc worker
 * frees them. Off the hot path: it allocates one {@link ConnSnapshot} per entry.
 */
final class ConntrackListing {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private ConntrackListing() {}

    /** Confirmed entries in entry-id order, as {@link Conntrack#list} returns them. */
    static List<ConnSnapshot> list(Conntrack ct, EntryTable entries, long nowNanos) {
        entries.reapExpired(nowNanos);
        EntryStore store = entries.store;
        List<ConnSnapshot> out = new ArrayList<>();
        for (int e = 0; e < store.highWater(); e++) {
            if (entries.alive(e) && (store.status(e) & (Status.CONFIRMED | Status.NAT_CLASH)) == Status.CONFIRMED) {
                int status = store.status(e);
                out.add(new ConnSnapshot(
                        e,
                        Protocol.of(store.protocol(e)),
                        entries.tuple(e, 0),
                        entries.tuple(e, 1),
                        ct.tcpState(e),
                        (status & Status.ASSURED) != 0,
                        (status & Status.SEEN_REPLY) != 0,
                        Math.max(0, store.deadline(e) - nowNanos) / NANOS_PER_SECOND,
                        store.zone(e)));
            }
        }
        return out;
    }
}
