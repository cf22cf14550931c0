package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.Protocol;
import java.util.SplittableRandom;

/**
 * The conntrack core's table side ({@code nf_conntrack_core.c}): lookup by either tuplehash with
 * lazy expiry ({@code ____nf_conntrack_find} + {@code nf_ct_gc_expired}), allocation of
 * unconfirmed entries against {@code nf_conntrack_max} ({@code __nf_conntrack_alloc} with
 * {@link EarlyDrop}), confirmation with clash resolution ({@code __nf_conntrack_confirm},
 * {@link ClashResolution}), the gc worker ({@link GcWorker}) and killing. The conntrack zones'
 * lookup tables are {@link ZoneTables}.
 *
 * <p>Values in the lookup table ({@link TupleIndex}) are {@link TupleHashRef}s; the same refs are
 * linked into the kernel's bucket chains ({@link HashChains}), which only early drop, confirmation
 * and the gc worker walk. Unconfirmed entries are in neither, so lookups cannot see them. Killed entries leave
 * both at once but their storage is freed only at the start of the next packet, so a packet that
 * still holds its (killed) conntrack can be NATed with it, as the kernel's reference counting
 * allows.
 */
final class EntryTable {

    /** {@code MIN_CHAINLEN}. */
    static final int MIN_CHAINLEN = 50;
    /** {@code MAX_CHAINLEN} (80 - MIN_CHAINLEN): the random part of the chain limit. */
    static final int MAX_CHAINLEN = 30;

    private static final long NAT_CLASH_TIMEOUT = 1_000_000_000L;

    final EntryStore store;
    final TupleIndex table;
    final Counters counters;
    final HashChains chains;
    private final long max;
    private final EarlyDrop earlyDrop;
    private final GcWorker gc;
    private final ClashResolution clashes;
    private final boolean chainTooLong;
    private final SplittableRandom chainRandom;
    private final ZoneTables zones;
    /** The current packet's zone ({@link #startPacket}); lookups and new entries use it. */
    private int packetZone;

    private int[] deferred = new int[TableMemory.DEFERRED_INITIAL];
    private int deferredCount;
    private int confirmed;
    /** Sink for the early loads of {@link #prefetch}, so the JIT keeps them. */
    private long tupleTouch;

    EntryTable(Kernel kernel, long max, long buckets, long seed, Counters counters) {
        this.store = new EntryStore(TableMemory.INITIAL_ENTRIES);
        this.table = new TupleIndex(TableMemory.INITIAL_ENTRIES, seed, store);
        this.chains = new HashChains((int) buckets);
        this.counters = counters;
        this.max = max;
        this.earlyDrop = new EarlyDrop(kernel.has(Switch.EARLY_DROP_NEXT_BUCKET));
        this.gc = new GcWorker(kernel.has(Switch.GC_FULL_SCAN), kernel.has(Switch.GC_ADAPTIVE), max);
        this.clashes = new ClashResolution(kernel, store, counters);
        this.chainTooLong = kernel.has(Switch.CHAIN_TOO_LONG);
        this.chainRandom = new SplittableRandom(~seed);
        this.zones = new ZoneTables(table, seed, store);
    }

    /**
     * Makes room for {@code entries} at once in the entry arrays, the default zone's lookup table
     * and the chains' links ({@link TableMemory#reservation}), before the first entry; nothing for
     * a count the first arrays hold.
     */
    void reserve(long entries) {
        if (store.highWater() != 0) {
            throw new IllegalStateException("conntrack table reserved after " + store.highWater() + " entries");
        }
        if (entries > TableMemory.INITIAL_ENTRIES) {
            int n = (int) Math.min(entries, TupleHashRef.MAX_ENTRIES);
            store.reserve(n);
            table.reserve(n);
            chains.reserve(2 * n);
        }
    }

    /**
     * Before a packet: runs the gc work due by {@code now}, then frees the storage of entries
     * killed while handling the previous packet. One comparison when nothing is due.
     */
    void startPacket(long now, int zone) {
        packetZone = zone;
        if (now >= gc.nextRun()) {
            gc.runDue(this, now);
        }
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
        return lookup(keyHigh, keyLow, packetZone, now);
    }

    /** The current packet's conntrack zone. */
    int packetZone() {
        return packetZone;
    }

    /**
     * {@code __nf_conntrack_find_get()} in conntrack zone {@code zone}: only an entry of that zone
     * is found ({@code nf_ct_key_equal()} compares the tuple and {@code nf_ct_zone_equal()}).
     */
    int lookup(long keyHigh, long keyLow, int zone, long now) {
        TupleIndex t = zone == 0 ? table : zoneTable(zone, false);
        if (t == null) {
            return ConnTable.NOT_FOUND;
        }
        int h = t.get(keyHigh, keyLow);
        if (h == ConnTable.NOT_FOUND) {
            return h;
        }
        int e = TupleHashRef.entry(h);
        // The entry's tuples, which NAT reads later in the packet's walk, are in the cache already:
        // the lookup compared the key with the tuple of h, and both tuples share their 32 bytes.
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
    void prefetch(long[] keyHighs, long[] keyLows, int count) {
        tupleTouch = table.touchBatch(keyHighs, keyLows, count);
    }

    /** {@code nf_ct_is_expired()}: {@code (s32)(ct->timeout - nfct_time_stamp) <= 0}. */
    boolean expired(int e, long now) {
        return (store.status(e) & Status.CONFIRMED) != 0 && store.deadline(e) - now <= 0;
    }

    /** Whether {@code e} is allocated and not killed. */
    boolean alive(int e) {
        return store.inUse(e) && (store.status(e) & Status.DYING) == 0;
    }

    /** The bucket of a tuple of the default zone. */
    int bucketOf(long keyHigh, long keyLow) {
        return bucketOf(keyHigh, keyLow, 0);
    }

    /** The bucket of a tuple: {@code reciprocal_scale(hash_conntrack_raw(tuple, zoneid), buckets)}. */
    int bucketOf(long keyHigh, long keyLow, int zone) {
        return HashChains.scale(zoneTable(zone, true).hash32(keyHigh, keyLow), chains.size);
    }

    /** The table of conntrack zone {@code zone} ({@link ZoneTables#table}). */
    private TupleIndex zoneTable(int zone, boolean create) {
        return zones.table(zone, create);
    }

    /**
     * {@code __nf_conntrack_alloc()}: a new unconfirmed entry with the given original tuple and its
     * inverse as reply tuple. The count it checks includes expired entries nothing has reaped yet.
     *
     * @return the entry, or -1 when the table is full and nothing could be early-dropped
     */
    int allocate(long origHigh, long origLow, long replyHigh, long replyLow, int protocolNumber, long now) {
        if (max > 0 && liveCount() + 1 > max) {
            if (!earlyDrop.run(this, zoneTable(packetZone, true).hash32(origHigh, origLow), now)) {
                gc.requestEarlyDrop();
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
        store.setZone(e, packetZone);
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
     * {@code __nf_conntrack_confirm()}: inserts both tuplehashes, or resolves a clash with an entry
     * that has one of the tuples ({@code nf_ct_resolve_clash()}).
     *
     * @return the entry the packet carries from now on ({@code e}, or the entry it merged into),
     *     or -1 when the packet is dropped (the entry is then freed)
     */
    int confirm(int e, long now) {
        if (store.inUse(e) && (store.status(e) & Status.CONFIRMED) != 0) {
            // Already in the table, or already killed by this very packet (an RST that was the
            // only reply, a reopen): nf_conntrack_confirm() returns NF_ACCEPT for both.
            return e;
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
        int zone = store.zone(e);
        int clash = lookup(oh, ol, zone, now);
        if (clash == ConnTable.NOT_FOUND) {
            clash = lookup(rh, rl, zone, now);
        }
        if (clash != ConnTable.NOT_FOUND) {
            return clashes.resolve(this, e, TupleHashRef.entry(clash), now);
        }
        int originalBucket = bucketOf(oh, ol, zone);
        int replyBucket = bucketOf(rh, rl, zone);
        if (chainTooLong && tooLong(originalBucket, replyBucket)) {
            counters.chainTooLong++;
            counters.insertFailed++;
            store.free(e);
            return -1;
        }
        TupleIndex t = zoneTable(zone, true);
        t.putIfAbsent(oh, ol, original);
        t.putIfAbsent(rh, rl, reply); // no-op when both tuples are the same key
        chains.insert(original, originalBucket);
        chains.insert(reply, replyBucket);
        store.addStatus(e, Status.CONFIRMED);
        store.setDeadline(e, store.deadline(e) + now);
        confirmStreamTs(e, now);
        confirmed++;
        return e;
    }

    /**
     * UDP's {@code stream_ts} becomes absolute at confirmation, as the deadline does. Only a UDP
     * entry has one: the rows hold {@code last_seq} and {@code last_ack} for TCP
     * ({@link EntryLayout#STREAM_TS_LOW}).
     */
    private void confirmStreamTs(int e, long now) {
        if (store.protocol(e) == Protocol.UDP.number()) {
            store.setStreamTs(e, store.streamTs(e) + now);
        }
    }

    /**
     * 5.15+: a chain that reaches {@code MIN_CHAINLEN + get_random_u32_below(MAX_CHAINLEN) + 2}
     * nodes refuses the insert ({@code chainlen++ > max_chainlen}); the random limit is drawn only
     * when a chain is long enough for it to matter.
     */
    private boolean tooLong(int originalBucket, int replyBucket) {
        int longest = Math.max(
                chains.length(originalBucket, MIN_CHAINLEN + MAX_CHAINLEN + 2),
                chains.length(replyBucket, MIN_CHAINLEN + MAX_CHAINLEN + 2));
        if (longest < MIN_CHAINLEN + 2) {
            return false;
        }
        int limit = MIN_CHAINLEN + chainRandom.nextInt(MAX_CHAINLEN);
        return longest > limit + 1;
    }

    /**
     * {@code nf_ct_resolve_clash_harder()} (5.6+): the clashing entry is confirmed in the reply
     * direction only, with {@code IPS_NAT_CLASH} and a fixed timeout of one second ("We want the
     * clashing entry to go away real soon: 1 second timeout."). The ORIGINAL tuplehash is only
     * fake-added: lookups find the winner, {@code conntrack -L} does not list it.
     */
    void insertReplyOnly(int loser, long now) {
        int reply = TupleHashRef.reply(loser);
        long rh = store.keyHigh(reply);
        long rl = store.keyLow(reply);
        int zone = store.zone(loser);
        zoneTable(zone, true).putIfAbsent(rh, rl, reply);
        chains.insert(reply, bucketOf(rh, rl, zone));
        store.addStatus(loser, Status.FIXED_TIMEOUT | Status.NAT_CLASH | Status.CONFIRMED);
        store.setDeadline(loser, now + NAT_CLASH_TIMEOUT);
        confirmStreamTs(loser, now);
        confirmed++;
    }

    /** {@code nf_ct_kill()}: out of the table and its chains now, storage freed before the next packet. */
    void kill(int e) {
        if (!alive(e)) {
            return;
        }
        if ((store.status(e) & Status.CONFIRMED) != 0) {
            removeKey(TupleHashRef.original(e));
            removeKey(TupleHashRef.reply(e));
            unlink(TupleHashRef.original(e));
            unlink(TupleHashRef.reply(e));
            confirmed--;
        }
        store.addStatus(e, Status.DYING);
        if (deferredCount == deferred.length) {
            deferred = java.util.Arrays.copyOf(deferred, deferredCount * 2);
        }
        deferred[deferredCount++] = e;
    }

    /** Kills every confirmed entry whose deadline has passed ({@code ctnetlink_dump_table()} evicts them). */
    void reapExpired(long now) {
        for (int e = 0; e < store.highWater(); e++) {
            if (alive(e) && expired(e, now)) {
                kill(e);
            }
        }
    }

    /**
     * Bytes of the arrays behind the table now: the entries, the lookup tables (the default zone's and
     * any other zone's), the chains ({@link TableMemory}).
     */
    long heapBytes() {
        return store.heapBytes()
                + table.memoryBytes()
                + chains.heapBytes()
                + TableMemory.intArray(deferred.length)
                + zones.otherZonesHeapBytes();
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

    /** Takes tuplehash {@code h} out of its bucket's chain, if it is in one. */
    private void unlink(int h) {
        if (chains.linked(h)) {
            chains.remove(h, bucketOf(store.keyHigh(h), store.keyLow(h), store.zone(TupleHashRef.entry(h))));
        }
    }

    /** Takes tuplehash {@code h} out of the table, unless its key is another entry's (a clash). */
    private void removeKey(int h) {
        long high = store.keyHigh(h);
        long low = store.keyLow(h);
        TupleIndex t = zoneTable(store.zone(TupleHashRef.entry(h)), true);
        int found = t.get(high, low);
        if (found != ConnTable.NOT_FOUND && TupleHashRef.entry(found) == TupleHashRef.entry(h)) {
            t.remove(high, low);
        }
    }
}
