package io.kpsim.conntrack;

import io.kpsim.packet.Protocol;
import java.util.List;

/**
 * A read-only look into one tracker's entries, for reports that show the entry beside a packet's
 * verdict (the HTML report's "entry before" and "entry after"): what {@code conntrack -G} would
 * print, tuples, TCP state and each direction's {@code struct ip_ct_tcp_state}, but without touching
 * the model.
 *
 * <p>Unlike {@link Conntrack#find}, {@link #find} does not reap an expired entry ({@code
 * nf_ct_gc_expired()} would kill it, changing what the next packet finds and what
 * {@code nf_conntrack_count} says): it reports it as absent and leaves it where it is, as the
 * kernel's lookup would see it. It counts nothing in {@code conntrack -S}, and no method allocates:
 * a report may call it for every packet at every node without changing the run or its cost much.
 */
public final class EntryView {

    /** {@code TcpState.values()} once (each call clones the array). */
    private static final List<TcpState> TCP_STATES = List.of(TcpState.values());

    private final EntryTable entries;
    private final EntryStore store;

    /** A view of {@code conntrack}'s entries, live (it reads the table as it is at each call). */
    public EntryView(Conntrack conntrack) {
        this.entries = conntrack.entries();
        this.store = conntrack.store();
    }

    /**
     * The confirmed, unexpired entry that has the tuple as its original or reply tuple, or
     * {@link Conntrack#NO_ENTRY}; {@code ____nf_conntrack_find()} plus {@code nf_ct_is_expired()},
     * reading only.
     */
    public int find(Protocol protocol, int srcIp, int srcPort, int dstIp, int dstPort, long nowNanos) {
        int ref = entries.table.get(
                ConnTable.keyHigh(srcIp, dstIp),
                ConnTable.keyLow(Conntrack.protocolNumber(protocol), srcPort, dstPort));
        if (ref == ConnTable.NOT_FOUND) {
            return Conntrack.NO_ENTRY;
        }
        int e = TupleHashRef.entry(ref);
        return entries.expired(e, nowNanos) ? Conntrack.NO_ENTRY : e;
    }

    /** The source address of {@code entry}'s tuple in direction {@code dir}. */
    public int srcIp(int entry, CtDir dir) {
        return (int) (store.keyHigh(TupleHashRef.of(entry, dir.ordinal())) >>> 32);
    }

    /** The destination address of {@code entry}'s tuple in direction {@code dir}. */
    public int dstIp(int entry, CtDir dir) {
        return (int) store.keyHigh(TupleHashRef.of(entry, dir.ordinal()));
    }

    /** The source port of {@code entry}'s tuple in direction {@code dir}. */
    public int srcPort(int entry, CtDir dir) {
        return (int) (store.keyLow(TupleHashRef.of(entry, dir.ordinal())) >>> 16) & 0xffff;
    }

    /** The destination port of {@code entry}'s tuple in direction {@code dir}. */
    public int dstPort(int entry, CtDir dir) {
        return (int) store.keyLow(TupleHashRef.of(entry, dir.ordinal())) & 0xffff;
    }

    /** The entry's layer-4 protocol. */
    public Protocol protocol(int entry) {
        return Protocol.of(store.protocol(entry));
    }

    /** The entry's TCP state ({@code ct->proto.tcp.state}), or {@code null} for other protocols. */
    public TcpState tcpState(int entry) {
        return store.protocol(entry) == Protocol.TCP.number() ? TCP_STATES.get(store.tcpState(entry)) : null;
    }

    /** {@code seen[dir].td_end}, unsigned: the highest {@code seq + len} direction {@code dir} sent. */
    public long tdEnd(int entry, CtDir dir) {
        return Integer.toUnsignedLong(store.tdEnd(TupleHashRef.of(entry, dir.ordinal())));
    }

    /** {@code seen[dir].td_maxend}, unsigned: the highest {@code ack + window} the other side granted. */
    public long tdMaxEnd(int entry, CtDir dir) {
        return Integer.toUnsignedLong(store.tdMaxEnd(TupleHashRef.of(entry, dir.ordinal())));
    }

    /** {@code seen[dir].td_maxwin}, unsigned: the largest scaled window direction {@code dir} advertised. */
    public long tdMaxWin(int entry, CtDir dir) {
        return Integer.toUnsignedLong(store.tdMaxWin(TupleHashRef.of(entry, dir.ordinal())));
    }

    /** {@code seen[dir].td_scale}: direction {@code dir}'s window scale shift. */
    public int tdScale(int entry, CtDir dir) {
        return store.tdScale(TupleHashRef.of(entry, dir.ordinal()));
    }
}
