package io.kpsim.conntrack;

import io.kpsim.packet.Protocol;

/**
 * The conntrack core's table side ({@code nf_conntrack_core.c}): lookup by either tuplehash with
 * lazy expiry ({@code ____nf_conntrack_find} + {@code nf_ct_gc_expired}), allocation of
 * unconfirmed entries against {@code nf_conntrack_max} ({@code __nf_conntrack_alloc} with
 * {@link EarlyDrop}), confirmation ({@code __nf_conntrack_confirm}) and killing.
 *
 * <p>Values in the {@link ConnTable} are {@link TupleHashRef}s. Unconfirmed entries are not in
 * the table, so lookups cannot see them. Killed entries leave the table at once but their storage
 * is freed only at the start of the next packet, so a packet that still holds its (killed)
 * conntrack can be NATed with it, as the kernel's reference counting allows.
 */
final class EntryTable {

    final EntryStore store;
    final ConnTable table;
    final Counters counters;
    private final long max;
    private final EarlyDrop earlyDrop = new EarlyDrop();
    private int[] deferred = new int[8];
    private int deferredCount;
    private int confirmed;
    /** Sink for the early loads of {@link #lookup} and {@link #prefetch}, so the JIT keeps them. */
    private long tupleTouch;

    EntryTable(long max, long seed, Counters counters) {
        int initial = (int) Math.min(max == 0 ? 1 << 16 : max, 1 << 16);
        this.store = new EntryStore(initial);
        this.table = new ConnTable(initial, seed);
        this.counters = counters;
        this.max = max;
    }

    /** Frees the storage of entries killed while handling the previous packet. */
    void flushDeferred() {
        for (int i = 0; i < deferredCount; i++) {
            store.free(deferred[i]);
        }
        deferredCount = 0;
    }

    /**
     * {@code nf_conntrack_find_get()}: the tuplehash the key belongs to, reaping an expired holder.
     *
     * @return a {@link TupleHashRef}, or {@link ConnTable#NOT_FOUND}
     */
    int lookup(long keyHigh, long keyLow, long now) {
        int h = table.get(keyHigh, keyLow);
        if (h == ConnTable.NOT_FOUND) {
            return h;
        }
        int e = TupleHashRef.entry(h);
        // Load the entry's tuples now, unused: NAT reads them later in the packet's walk, and this
        // cache miss then overlaps the one expired() takes on the entry's hot line, instead of
        // costing a second round trip to memory (Java has no prefetch instruction).
        tupleTouch = store.keyHigh(TupleHashRef.original(e));
        if (expired(e, now)) {
            kill(e);
            return ConnTable.NOT_FOUND;
        }
        return h;
    }

    /**
     * Brings the table slots, hot records and tuples of up to {@code count} keys into the cache
     * together, so that the lookups of the packets they belong to, made one by one afterwards, hit:
     * each round of loads is independent, and the core overlaps their misses instead of taking
     * them one packet at a time (DPDK's {@code rte_hash_lookup_bulk} followed by prefetching the
     * entries). Reads only; allocation-free.
     */
    void prefetch(long[] keyHighs, long[] keyLows, int count, int[] values) {
        table.getBatch(keyHighs, keyLows, count, values);
        long touched = 0;
        for (int i = 0; i < count; i++) {
            int h = values[i];
            if (h != ConnTable.NOT_FOUND) {
                touched += store.touch(TupleHashRef.entry(h));
            }
        }
        tupleTouch = touched;
    }

    /** {@code nf_ct_is_expired()}: {@code (s32)(ct->timeout - nfct_time_stamp) <= 0}. */
    boolean expired(int e, long now) {
        return (store.status(e) & Status.CONFIRMED) != 0 && store.deadline(e) - now <= 0;
    }

    /** Whether {@code e} is allocated and not killed. */
    boolean alive(int e) {
        return store.inUse(e) && (store.status(e) & Status.DYING) == 0;
    }

    /**
     * {@code __nf_conntrack_alloc()}: a new unconfirmed entry with the given original tuple and its
     * inverse as reply tuple.
     *
     * @return the entry, or -1 when the table is full and nothing could be early-dropped
     */
    int allocate(long origHigh, long origLow, long replyHigh, long replyLow, int protocolNumber, long now) {
        if (max > 0 && liveCount() + 1 > max) {
            reapExpired(now); // what gc_worker would have done by now
            if (liveCount() + 1 > max && !earlyDrop.run(this, origHigh, origLow, now)) {
                counters.drop++;
                return -1;
            }
        }
        if (store.live() >= TupleHashRef.MAX_ENTRIES) {
            // The table's values (TupleHashRef) cannot name another entry. Killed entries awaiting
            // their free still hold ids, so count them: a new id is at most store.live().
            counters.drop++;
            return -1;
        }
        int e = store.allocate();
        store.setTuples(e, origHigh, origLow, replyHigh, replyLow, protocolNumber);
        return e;
    }

    /** Frees an entry that was never confirmed. */
    void discardUnconfirmed(int e) {
        if (!store.inUse(e) || (store.status(e) & Status.CONFIRMED) != 0) {
            throw new IllegalArgumentException("entry " + e + " is not an unconfirmed conntrack entry");
        }
        store.free(e);
    }

    /**
     * {@code __nf_conntrack_confirm()}: inserts both tuplehashes.
     *
     * @return false on a clash (the entry is discarded; stats {@code insert_failed} and {@code drop})
     */
    boolean confirm(int e, long now) {
        if (store.inUse(e) && (store.status(e) & Status.CONFIRMED) != 0) {
            // Already in the table, or already killed by this very packet (an RST that was the
            // only reply, a reopen): nf_conntrack_confirm() returns NF_ACCEPT for both.
            return true;
        }
        if (!alive(e)) {
            throw new IllegalArgumentException("entry " + e + " is not a live conntrack entry");
        }
        int original = TupleHashRef.original(e);
        int reply = TupleHashRef.reply(e);
        long oh = store.keyHigh(original);
        long ol = store.keyLow(original);
        long rh = store.keyHigh(reply);
        long rl = store.keyLow(reply);
        boolean same = oh == rh && ol == rl;
        if (lookup(oh, ol, now) != ConnTable.NOT_FOUND || (!same && lookup(rh, rl, now) != ConnTable.NOT_FOUND)) {
            counters.insertFailed++;
            counters.drop++;
            store.free(e);
            return false;
        }
        table.putIfAbsent(oh, ol, original);
        if (!same) {
            table.putIfAbsent(rh, rl, reply);
        }
        store.addStatus(e, Status.CONFIRMED);
        store.setDeadline(e, store.deadline(e) + now);
        store.setStreamTs(e, store.streamTs(e) + now);
        confirmed++;
        counters.insert++;
        return true;
    }

    /** {@code nf_ct_kill()}: out of the table now, storage freed before the next packet. */
    void kill(int e) {
        if (!alive(e)) {
            return;
        }
        if ((store.status(e) & Status.CONFIRMED) != 0) {
            removeKey(TupleHashRef.original(e));
            removeKey(TupleHashRef.reply(e));
            confirmed--;
        }
        store.addStatus(e, Status.DYING);
        if (deferredCount == deferred.length) {
            deferred = java.util.Arrays.copyOf(deferred, deferredCount * 2);
        }
        deferred[deferredCount++] = e;
    }

    /** Kills every confirmed entry whose deadline has passed. */
    void reapExpired(long now) {
        for (int e = 0; e < store.highWater(); e++) {
            if (alive(e) && expired(e, now)) {
                kill(e);
            }
        }
    }

    /** Confirmed entries in the table (expired ones count until reaped). */
    int confirmedCount() {
        return confirmed;
    }

    /** Entries counting against {@code nf_conntrack_max}: confirmed and unconfirmed, not killed. */
    int liveCount() {
        return store.live() - deferredCount;
    }

    /** The tuple of {@code e} in direction {@code dir} (0 original, 1 reply). */
    Tuple tuple(int e, int dir) {
        int h = TupleHashRef.of(e, dir);
        long high = store.keyHigh(h);
        long low = store.keyLow(h);
        return new Tuple(
                Protocol.of((int) (low >>> 32) & 0xff),
                (int) (high >>> 32),
                (int) (low >>> 16) & 0xffff,
                (int) high,
                (int) low & 0xffff);
    }

    /** Takes tuplehash {@code h} out of the table, unless its key is another entry's (a clash). */
    private void removeKey(int h) {
        long high = store.keyHigh(h);
        long low = store.keyLow(h);
        int found = table.get(high, low);
        if (found != ConnTable.NOT_FOUND && TupleHashRef.entry(found) == TupleHashRef.entry(h)) {
            table.remove(high, low);
        }
    }
}
