package io.kpsim.conntrack;

/**
 * {@code early_drop()} and {@code early_drop_list()} of {@code nf_conntrack_core.c} (read in
 * 4.14.280, 4.19.255 and 6.18.2, the same in every profile): when a new entry would exceed
 * {@code nf_conntrack_max}, walk the bucket chain of the new tuple's hash and, if nothing could be
 * dropped there, the next seven buckets ({@code NF_CT_EVICTION_RANGE}); in a chain, reap expired
 * entries without counting them, skip ASSURED ones, and delete <em>every</em> other confirmed
 * entry; stop at the first bucket where something was deleted and count those in
 * {@code early_drop}. A chain holds tuplehashes of both directions, so an entry can be met twice
 * (the second time it is dying and skipped).
 *
 * <p>So a bucket range holding only ASSURED and expired entries frees the expired ones and still
 * fails: the packet is dropped ("table full") although memory was freed. Before the fix of
 * {@link io.kpsim.conntrack.profile.Switch#EARLY_DROP_NEXT_BUCKET} (4.14.67, 4.19.1) the eight
 * iterations scaled {@code hash + i}, which lands on (almost always) the same bucket.
 */
final class EarlyDrop {

    /** {@code NF_CT_EVICTION_RANGE}. */
    static final int EVICTION_RANGE = 8;

    private final boolean nextBucket;
    /** Where each of the range's chains stands during {@link #warm}. */
    private final int[] cursors = new int[EVICTION_RANGE];
    /** What {@link #warm} loaded, summed (meaningless): kept so that the loads are not optimised away. */
    private long warmed;

    /** @param nextBucket whether the kernel walks consecutive buckets ({@code EARLY_DROP_NEXT_BUCKET}) */
    EarlyDrop(boolean nextBucket) {
        this.nextBucket = nextBucket;
    }

    /**
     * Tries to make room for a tuple whose 32-bit hash is {@code hash32}.
     *
     * @return true when at least one entry was deleted
     */
    boolean run(EntryTable t, int hash32, long now) {
        HashChains chains = t.chains;
        if (nextBucket) {
            warm(t, HashChains.scale(hash32, chains.size));
        }
        int bucket = 0;
        for (int i = 0; i < EVICTION_RANGE; i++) {
            if (!nextBucket) {
                bucket = HashChains.scale(hash32 + i, chains.size);
            } else if (i == 0) {
                bucket = HashChains.scale(hash32, chains.size);
            } else {
                bucket = (bucket + 1) % chains.size;
            }
            int drops = dropList(t, bucket, now);
            if (drops > 0) {
                t.counters.earlyDrop += drops;
                return true;
            }
        }
        return false;
    }

    /**
     * A hint with no effect on any result: loads the chains of the eight consecutive buckets from
     * {@code first} and their entries' hot records, a node of each chain in turn, so that the
     * cache misses of the eight chains overlap instead of following each other in
     * {@link #dropList}'s walk. In a full table whose range holds only ASSURED entries (every new
     * connection of a replay past {@code nf_conntrack_max}) the walk visits all eight chains, one
     * miss after another, for every packet that needs an entry.
     */
    private void warm(EntryTable t, int first) {
        HashChains chains = t.chains;
        int[] at = cursors;
        for (int i = 0; i < EVICTION_RANGE; i++) {
            at[i] = chains.first((first + i) % chains.size);
        }
        long sum = 0;
        boolean more = true;
        while (more) {
            more = false;
            for (int i = 0; i < EVICTION_RANGE; i++) {
                int h = at[i];
                if (h >= 0) {
                    sum += t.store.touch(TupleHashRef.entry(h));
                    at[i] = chains.next(h);
                    more = true;
                }
            }
        }
        warmed += sum;
    }

    /** {@code early_drop_list()}: one chain; returns how many entries it deleted. */
    private static int dropList(EntryTable t, int bucket, long now) {
        int drops = 0;
        for (int h = t.chains.first(bucket); h >= 0; h = t.chains.next(h)) {
            int e = TupleHashRef.entry(h);
            if (!t.alive(e)) {
                continue; // nf_ct_is_dying(): met again through its other tuplehash
            }
            if (t.expired(e, now)) {
                t.kill(e); // nf_ct_gc_expired(): freed, not counted
                continue;
            }
            int status = t.store.status(e);
            if ((status & Status.ASSURED) != 0 || (status & Status.CONFIRMED) == 0) {
                continue;
            }
            t.kill(e);
            drops++;
        }
        return drops;
    }
}
