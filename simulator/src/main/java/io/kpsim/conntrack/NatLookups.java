package io.kpsim.conntrack;

import io.kpsim.packet.Protocol;

/**
 * The two conntrack look-ups of {@code nf_nat_core.c} (6.18.2 read) that are more than
 * {@code nf_conntrack_tuple_taken()}: {@code nf_nat_used_tuple_new()} (6.6.57+) and
 * {@code nf_nat_used_tuple_harder()} (6.6+). NAT ({@code io.kpsim.netfilter.NatCore}) decides when
 * to ask; these read and, for the TIME_WAIT eviction, kill entries, which is conntrack's business.
 */
final class NatLookups {

    /** {@code NF_NAT_HARDER_THRESH}: {@code NF_NAT_MAX_ATTEMPTS / 4}. */
    static final int HARDER_THRESH = 128 / 4;

    private final Conntrack ct;
    private final EntryTable entries;
    private final EntryStore s;

    NatLookups(Conntrack ct, EntryTable entries) {
        this.ct = ct;
        this.entries = entries;
        this.s = entries.store;
    }

    /** {@code nf_nat_used_tuple_new()}. */
    boolean usedTupleNew(Tuple tuple, int ignored, long now) {
        if (!ct.tupleTaken(tuple.invert(), ignored, now)) {
            return false;
        }
        if (s.protocol(ignored) != Protocol.UDP.number()) {
            return true; // !nf_nat_allow_clash()
        }
        if ((s.status(ignored) & Status.NAT_MASK) != 0) {
            return true;
        }
        int found = entries.lookup(Conntrack.key(tuple, true), Conntrack.key(tuple, false), now);
        if (found == ConnTable.NOT_FOUND) {
            Tuple reply = tuple.invert();
            found = entries.lookup(Conntrack.key(reply, true), Conntrack.key(reply, false), now);
            if (found == ConnTable.NOT_FOUND) {
                return false; // the clashing entry went away
            }
        }
        int e = TupleHashRef.entry(found);
        if (TupleHashRef.dir(found) != 1 || (s.status(e) & Status.NAT_MASK) != 0) {
            return true;
        }
        return !(sameKey(TupleHashRef.original(e), TupleHashRef.reply(ignored))
                && sameKey(TupleHashRef.reply(e), TupleHashRef.original(ignored)));
    }

    /** {@code nf_nat_used_tuple_harder()}. */
    boolean usedTupleHarder(Tuple candidate, int ignored, int attemptsLeft, long now) {
        Tuple reply = candidate.invert();
        if (attemptsLeft > HARDER_THRESH
                || candidate.protocol() != Protocol.TCP
                || s.tcpState(ignored) != TcpState.SYN_SENT.ordinal()) {
            return ct.tupleTaken(reply, ignored, now);
        }
        int found = entries.lookup(Conntrack.key(reply, true), Conntrack.key(reply, false), now);
        if (found == ConnTable.NOT_FOUND) {
            return false;
        }
        int e = TupleHashRef.entry(found);
        if (TupleHashRef.dir(found) == 0 || e == ignored) {
            return true;
        }
        int status = s.status(e);
        if (!mayKill(e, status)) {
            return true;
        }
        // nf_seq_has_advanced(): the new SYN is ahead of the old connection's original direction
        if (s.tdEnd(TupleHashRef.original(ignored)) - s.tdEnd(TupleHashRef.original(e)) <= 0) {
            return true;
        }
        entries.kill(e);
        return false; // offloaded entries would stay taken; kpsim has no flow offload
    }

    /** {@code nf_nat_may_kill()}: TIME_WAIT or later, SNATed, not fixed-timeout or dying. */
    private boolean mayKill(int e, int status) {
        if (s.tcpState(e) < TcpState.TIME_WAIT.ordinal()) {
            return false;
        }
        if ((status & (Status.FIXED_TIMEOUT | Status.DYING)) != 0) {
            return false;
        }
        return (status & Status.SRC_NAT) != 0;
    }

    private boolean sameKey(int a, int b) {
        return s.keyHigh(a) == s.keyHigh(b) && s.keyLow(a) == s.keyLow(b);
    }
}
