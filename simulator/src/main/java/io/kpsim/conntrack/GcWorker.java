package io.kpsim.conntrack;

/**
 * {@code gc_worker()} of {@code nf_conntrack_core.c}: the delayed work that reaps expired entries
 * (they count against {@code nf_conntrack_max} until something reaps them) and, after a
 * "table full" ({@code conntrack_gc_work.early_drop}), evicts entries while the table is at 95% or
 * more: every confirmed entry that is not ASSURED, and TCP entries in a closing state
 * ({@code gc_worker_can_early_drop()}, {@code tcp_can_early_drop()}). Its evictions do not count
 * in {@code early_drop}.
 *
 * <p>Three schedules, by kernel (HZ=250, the Debian and Ubuntu kernels' value):
 * <ul>
 *   <li>4.14.280 (neither switch): each run scans 1/128 of the buckets after the last one; the
 *       next run is 4 ms later when more than half the scanned entries had expired, else 4 ms
 *       more than last time, at most 124 ms (16 s / 128); the flag is cleared after every run.</li>
 *   <li>{@link io.kpsim.conntrack.profile.Switch#GC_FULL_SCAN} (4.19.255, 5.4, 5.10): the whole
 *       table every 120 s.</li>
 *   <li>{@link io.kpsim.conntrack.profile.Switch#GC_ADAPTIVE} (5.15.34+): the whole table; the next
 *       run is the running average of the entries' remaining lifetimes (each clamped to 1..300 s,
 *       seeded with 100 entries at 60 s) clamped to 1..60 s, minus the cycle's duration; a run
 *       pauses for a jiffy after 256 reaped or evicted entries and resumes at the same bucket,
 *       and the pause clears the eviction flag.</li>
 * </ul>
 *
 * <p>The kernel scans in 10 ms slices of wall time; kpsim's scan takes no simulated time. kpsim
 * has no timer: due runs happen, at their scheduled times, before the next packet is handled,
 * which is when anything could notice them. The worker starts one second after the first packet
 * ({@code queue_delayed_work(..., HZ)} at load; when the module loaded relative to a capture is
 * not knowable).
 */
final class GcWorker {

    /** Nanoseconds per jiffy at HZ=250. */
    static final long JIFFY = 4_000_000L;

    private static final long SECOND = 1_000_000_000L;
    private static final int BUCKETS_DIV = 128;
    private static final long INCREMENTAL_MAX_JIFFIES = 16L * 250 / BUCKETS_DIV;
    private static final long FULL_SCAN_INTERVAL = 120 * SECOND;
    private static final long INTERVAL_MAX = 60 * 250L;
    private static final long INTERVAL_MIN = 250L;
    private static final long INTERVAL_CLAMP = 300 * 250L;
    private static final long INITIAL_COUNT = 100;
    private static final int EXPIRED_MAX = 64000 / 250;

    private final boolean fullScan;
    private final boolean adaptive;
    private final long max;
    private boolean started;
    private boolean earlyDrop;
    /** When the next run is due (nanos); before the first packet, any time is. */
    private long nextRun = Long.MIN_VALUE;

    private int nextBucket;
    private long avgTimeout;
    private long count;
    private long startTime;
    private long nextGcRun = 250;

    GcWorker(boolean fullScan, boolean adaptive, long max) {
        this.fullScan = fullScan;
        this.adaptive = adaptive;
        this.max = max;
    }

    /** When the next run is due; the packet path compares it with the clock. */
    long nextRun() {
        return nextRun;
    }

    /** {@code conntrack_gc_work.early_drop = true}: the table was full. */
    void requestEarlyDrop() {
        earlyDrop = true;
    }

    /** Runs every run due by {@code now}, each at its scheduled time. */
    void runDue(EntryTable t, long now) {
        if (!started) {
            started = true;
            nextRun = now + SECOND;
            return;
        }
        while (nextRun <= now) {
            long at = nextRun;
            if (adaptive) {
                nextRun = at + adaptive(t, at);
            } else if (fullScan) {
                scanAll(t, at);
                earlyDrop = false;
                nextRun = at + FULL_SCAN_INTERVAL;
            } else {
                nextRun = at + incremental(t, at) * JIFFY;
            }
        }
    }

    /** The 4.14 run: 1/128 of the buckets; returns the delay to the next run in jiffies. */
    private long incremental(EntryTable t, long at) {
        HashChains chains = t.chains;
        int goal = Math.max(1, chains.size / BUCKETS_DIV);
        int i = nextBucket;
        int scanned = 0;
        int expired = 0;
        long max95 = earlyDrop ? max / 100 * 95 : 0;
        for (int n = 0; n < goal; n++) {
            if (++i >= chains.size) {
                i = 0;
            }
            for (int h = chains.first(i); h >= 0; h = chains.next(h)) {
                int e = TupleHashRef.entry(h);
                if (!t.alive(e)) {
                    continue;
                }
                scanned++;
                if (t.expired(e, at)) {
                    t.kill(e);
                    expired++;
                } else if (max95 != 0 && t.liveCount() >= max95 && canEarlyDrop(t, e)) {
                    t.kill(e);
                }
            }
        }
        nextBucket = i;
        earlyDrop = false;
        int ratio = scanned == 0 ? 0 : expired * 100 / scanned;
        if (ratio > 50) {
            nextGcRun = 1;
        } else {
            nextGcRun = Math.min(nextGcRun + 1, INCREMENTAL_MAX_JIFFIES);
        }
        return nextGcRun;
    }

    /** The 120 s run of 4.19.222+ and 5.4/5.10: the whole table. */
    private void scanAll(EntryTable t, long at) {
        HashChains chains = t.chains;
        long max95 = earlyDrop ? max / 100 * 95 : 0;
        for (int b = chains.nextUsed(0); b >= 0; b = chains.nextUsed(b + 1)) {
            for (int h = chains.first(b); h >= 0; h = chains.next(h)) {
                int e = TupleHashRef.entry(h);
                if (!t.alive(e)) {
                    continue;
                }
                if (t.expired(e, at)) {
                    t.kill(e);
                } else if (max95 != 0 && t.liveCount() >= max95 && canEarlyDrop(t, e)) {
                    t.kill(e);
                }
            }
        }
    }

    /** The 5.15.34+ run; returns the delay to the next run in nanoseconds. */
    private long adaptive(EntryTable t, long at) {
        HashChains chains = t.chains;
        long max95 = earlyDrop ? max / 100 * 95 : 0;
        if (nextBucket == 0) {
            avgTimeout = INTERVAL_MAX;
            count = INITIAL_COUNT;
            startTime = at;
        }
        long next = avgTimeout;
        long n = count;
        int expiredCount = 0;
        for (int b = chains.nextUsed(nextBucket); b >= 0; b = chains.nextUsed(b + 1)) {
            for (int h = chains.first(b); h >= 0; h = chains.next(h)) {
                int e = TupleHashRef.entry(h);
                if (expiredCount > EXPIRED_MAX) {
                    // pause: resume at this bucket (from its head) one jiffy later
                    nextBucket = b;
                    avgTimeout = next;
                    count = n;
                    earlyDrop = false;
                    return JIFFY;
                }
                if (!t.alive(e)) {
                    continue;
                }
                if (t.expired(e, at)) {
                    t.kill(e);
                    expiredCount++;
                    continue;
                }
                long expires = Math.max(INTERVAL_MIN, Math.min(INTERVAL_CLAMP, (t.store.deadline(e) - at) / JIFFY));
                next += (expires - next) / ++n;
                if (max95 != 0 && t.liveCount() >= max95 && canEarlyDrop(t, e)) {
                    t.kill(e);
                    expiredCount++;
                }
            }
        }
        nextBucket = 0;
        next = Math.max(INTERVAL_MIN, Math.min(INTERVAL_MAX, next));
        long delta = Math.max((at - startTime) / JIFFY, 1);
        next = next > delta ? next - delta : 1;
        earlyDrop = false;
        return next * JIFFY;
    }

    /** {@code gc_worker_can_early_drop()}: not ASSURED, or a TCP entry in a closing state. */
    private static boolean canEarlyDrop(EntryTable t, int e) {
        int status = t.store.status(e);
        if ((status & Status.CONFIRMED) == 0) {
            return false;
        }
        if ((status & Status.ASSURED) == 0) {
            return true;
        }
        return t.store.protocol(e) == 6 && TcpState.values()[t.store.tcpState(e)].closing();
    }
}
