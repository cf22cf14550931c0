package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.Protocol;

/**
 * What {@code __nf_conntrack_confirm()} does when one of a new entry's tuples is already in the
 * table: {@code nf_ct_resolve_clash()}. Only protocols with {@code allow_clash} (UDP) resolve; the
 * loser merges into the winner when they may ({@code nf_ct_can_merge()}), else, from 5.6, it is
 * inserted in the reply direction only ({@code nf_ct_resolve_clash_harder()}, {@code IPS_NAT_CLASH});
 * otherwise the packet is dropped ({@code drop}, {@code insert_failed}). The rules changed three
 * times, each a {@link Switch}: {@link Switch#CLASH_MERGE_MATCHING}, {@link Switch#CLASH_INSERT_NAT_CLASH},
 * {@link Switch#CLASH_MERGE_REVERSE}.
 */
final class ClashResolution {

    private final EntryStore store;
    private final Counters counters;
    private final boolean clashMergeMatching;
    private final boolean clashInsert;
    private final boolean clashMergeReverse;

    ClashResolution(Kernel kernel, EntryStore store, Counters counters) {
        this.store = store;
        this.counters = counters;
        this.clashMergeMatching = kernel.has(Switch.CLASH_MERGE_MATCHING);
        this.clashInsert = kernel.has(Switch.CLASH_INSERT_NAT_CLASH);
        this.clashMergeReverse = kernel.has(Switch.CLASH_MERGE_REVERSE);
    }

    /**
     * {@code nf_ct_resolve_clash()} between the unconfirmed {@code loser} and the confirmed
     * {@code winner} that holds one of its tuples.
     *
     * @return the entry the packet carries from now on, or -1 when it is dropped (the loser is then
     *     freed)
     */
    int resolve(EntryTable table, int loser, int winner, long now) {
        if (store.protocol(loser) != Protocol.UDP.number()) {
            return drop(loser);
        }
        if (canMerge(winner, loser)) {
            return merge(loser, winner);
        }
        if (!clashInsert) {
            return drop(loser);
        }
        int reply = TupleHashRef.reply(loser);
        int other = table.lookup(store.keyHigh(reply), store.keyLow(reply), store.zone(loser), now);
        if (other != ConnTable.NOT_FOUND) {
            int w = TupleHashRef.entry(other);
            return canMerge(w, loser) ? merge(loser, w) : drop(loser);
        }
        table.insertReplyOnly(loser, now);
        counters.clashResolve++;
        return loser;
    }

    /**
     * 6.12+ {@code nf_ct_can_merge()}: the same flow, in the same or swapped directions; before, an
     * un-NATed winner always, or (4.19+) {@code nf_ct_match()}.
     */
    private boolean canMerge(int winner, int loser) {
        if (clashMergeReverse) {
            return match(winner, loser, 0) || match(winner, loser, 1);
        }
        return (store.status(winner) & Status.NAT_DONE_MASK) == 0 || (clashMergeMatching && match(winner, loser, 0));
    }

    /** {@code nf_ct_match()} ({@code swap} 0) or {@code nf_ct_match_reverse()} ({@code swap} 1). */
    private boolean match(int a, int b, int swap) {
        int ao = TupleHashRef.original(a);
        int ar = TupleHashRef.reply(a);
        int bo = TupleHashRef.of(b, swap);
        int br = TupleHashRef.of(b, swap ^ 1);
        return store.keyHigh(ao) == store.keyHigh(bo)
                && store.keyLow(ao) == store.keyLow(bo)
                && store.keyHigh(ar) == store.keyHigh(br)
                && store.keyLow(ar) == store.keyLow(br);
    }

    /** The packet takes the winner; 4.19 still counts {@code insert_failed}, 5.6+ {@code clash_resolve}. */
    private int merge(int loser, int winner) {
        if (clashInsert) {
            counters.clashResolve++;
        } else {
            counters.insertFailed++;
        }
        store.free(loser);
        return winner;
    }

    private int drop(int loser) {
        counters.drop++;
        counters.insertFailed++;
        store.free(loser);
        return -1;
    }
}
