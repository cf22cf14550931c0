package io.kpsim.conntrack;

import io.kpsim.packet.Protocol;

/**
 * What NAT asks of the conntrack table when it chooses a tuple ({@code net/netfilter/nf_nat_core.c}
 * and {@code nf_conntrack_core.c}): is a reply tuple taken ({@code nf_conntrack_tuple_taken()}),
 * is the original tuple taken by anything but the same flow seen from the other side
 * ({@code nf_nat_used_tuple_new()}, 6.6.57 / 6.12), and may a colliding TIME_WAIT entry be evicted
 * in the last probes of a port search ({@code nf_nat_used_tuple_harder()}, 6.6). Which of these a
 * kernel uses is NAT's decision ({@code io.kpsim.netfilter}); this class answers them from the
 * table. Read at {@code gfunkmonk/linux-6.18.2} {@code 062668f4d0}, {@code nf_nat_core.c}.
 */
public final class NatLookup {

    /** {@code NF_NAT_HARDER_THRESH}: {@code NF_NAT_MAX_ATTEMPTS / 4}, the probes that may evict. */
    public static final int HARDER_THRESH = 128 / 4;

    /** {@code IPS_NAT_MASK} ({@code IPS_SEQ_ADJUST} is not modelled: kpsim has no NAT helpers). */
    private static final int USES_NAT = Status.NAT_MASK;

    private final EntryTable entries;
    private final EntryStore store;
    private final Counters counters;
    private final boolean sameOriginNotTaken;

    NatLookup(EntryTable entries, Counters counters, boolean sameOriginNotTaken) {
        this.entries = entries;
        this.store = entries.store;
        this.counters = counters;
        this.sameOriginNotTaken = sameOriginNotTaken;
    }

    /**
     * {@code nf_conntrack_tuple_taken()}: whether a confirmed, unexpired entry other than
     * {@code ignoredEntry} already has {@code replyTuple} as one of its two tuples, so NAT must
     * pick another port; counts {@code found} when so. From 4.19.14 / 5.0 an entry whose ORIGINAL
     * tuple equals {@code ignoredEntry}'s is not "taken" (two packets of one socket racing: clash
     * resolution at confirmation handles them).
     */
    public boolean tupleTaken(Tuple replyTuple, int ignoredEntry, long nowNanos) {
        int found = entries.lookup(
                Conntrack.key(replyTuple, true), Conntrack.key(replyTuple, false), zone(ignoredEntry), nowNanos);
        if (found == ConnTable.NOT_FOUND) {
            return false;
        }
        int e = TupleHashRef.entry(found);
        if (e == ignoredEntry) {
            return false;
        }
        if (sameOriginNotTaken
                && ignoredEntry != Conntrack.NO_ENTRY
                && sameKey(TupleHashRef.original(e), TupleHashRef.original(ignoredEntry))) {
            return false;
        }
        counters.found++;
        return true;
    }

    /** The zone of the entry being NATed ({@code nf_ct_zone(ignored_conntrack)}), or the packet's. */
    private int zone(int ignoredEntry) {
        return ignoredEntry == Conntrack.NO_ENTRY ? entries.packetZone() : store.zone(ignoredEntry);
    }

    /** {@code nf_nat_used_tuple()}: is the reply of {@code tuple} already in the table? */
    public boolean usedTuple(Tuple tuple, int ignoredEntry, long nowNanos) {
        return tupleTaken(tuple.invert(), ignoredEntry, nowNanos);
    }

    /**
     * {@code nf_nat_used_tuple_new()} (mainline 6.12, stable 6.6.57): {@link #usedTuple}, except
     * that a UDP entry ({@code allow_clash}) without NAT whose only clash is an un-NATed entry that
     * is the same flow with its tuples swapped (both ends sent their first packet at once) does
     * not count as taken; clash resolution at confirmation merges the two
     * ({@code nf_ct_match_reverse()}) instead of NAT rewriting the answering side's port.
     *
     * @param tuple the unaltered original tuple of {@code ignoredEntry}
     */
    public boolean usedTupleNew(Tuple tuple, int ignoredEntry, long nowNanos) {
        if (!usedTuple(tuple, ignoredEntry, nowNanos)) {
            return false;
        }
        if (store.protocol(ignoredEntry) != Conntrack.protocolNumber(Protocol.UDP)
                || (store.status(ignoredEntry) & USES_NAT) != 0) {
            return true;
        }
        int h = entries.lookup(Conntrack.key(tuple, true), Conntrack.key(tuple, false), zone(ignoredEntry), nowNanos);
        if (h == ConnTable.NOT_FOUND) {
            Tuple reply = tuple.invert();
            h = entries.lookup(Conntrack.key(reply, true), Conntrack.key(reply, false), zone(ignoredEntry), nowNanos);
            if (h == ConnTable.NOT_FOUND) {
                return false; // the clashing entry went away
            }
        }
        int e = TupleHashRef.entry(h);
        if (TupleHashRef.dir(h) != 1 || (store.status(e) & USES_NAT) != 0) {
            return true;
        }
        return !(sameKey(TupleHashRef.original(e), TupleHashRef.reply(ignoredEntry))
                && sameKey(TupleHashRef.reply(e), TupleHashRef.original(ignoredEntry)));
    }

    /**
     * {@code nf_nat_used_tuple_harder()} (mainline 6.6): in the last {@code NF_NAT_HARDER_THRESH}
     * (32) probes of a search round, for a TCP entry in SYN_SENT, a colliding entry found by its
     * REPLY tuple that is SNATed, in TIME_WAIT, CLOSE or SYN_SENT2 ({@code nf_nat_may_kill()}:
     * state at least TIME_WAIT, no {@code IPS_FIXED_TIMEOUT} or {@code IPS_DYING}), and whose
     * original direction's {@code td_end} is behind the new SYN's ({@code nf_seq_has_advanced()})
     * is killed and the tuple is free. Any other probe is {@link #usedTuple}.
     */
    public boolean usedTupleHarder(Tuple tuple, int ignoredEntry, int attemptsLeft, long nowNanos) {
        if (attemptsLeft > HARDER_THRESH
                || tuple.protocol() != Protocol.TCP
                || store.tcpState(ignoredEntry) != TcpState.SYN_SENT.ordinal()) {
            return usedTuple(tuple, ignoredEntry, nowNanos);
        }
        Tuple reply = tuple.invert();
        int h = entries.lookup(Conntrack.key(reply, true), Conntrack.key(reply, false), zone(ignoredEntry), nowNanos);
        if (h == ConnTable.NOT_FOUND) {
            return false;
        }
        int e = TupleHashRef.dir(h) == 0 ? Conntrack.NO_ENTRY : TupleHashRef.entry(h);
        if (e == Conntrack.NO_ENTRY || e == ignoredEntry) {
            return true;
        }
        int status = store.status(e);
        if (store.tcpState(e) < TcpState.TIME_WAIT.ordinal()
                || (status & (Status.FIXED_TIMEOUT | Status.DYING)) != 0
                || (status & Status.SRC_NAT) == 0) {
            return true;
        }
        int advanced = store.tdEnd(TupleHashRef.original(ignoredEntry)) - store.tdEnd(TupleHashRef.original(e));
        if (advanced <= 0) {
            return true;
        }
        entries.kill(e); // nf_ct_kill(); kpsim models no flow offload, so the tuple is free
        return false;
    }

    private boolean sameKey(int h1, int h2) {
        return store.keyHigh(h1) == store.keyHigh(h2) && store.keyLow(h1) == store.keyLow(h2);
    }
}
