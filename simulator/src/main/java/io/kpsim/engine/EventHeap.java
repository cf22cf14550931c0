package io.kpsim.engine;

import java.util.Arrays;

/**
 * One 4-ary min-heap of events keyed by (time, sequence number), kept in parallel primitive
 * arrays. Four children per node halve the depth and sit side by side in memory, so a sift takes
 * fewer steps than in a binary heap; the keys are unique, so the order events come out in does not
 * depend on the heap's shape. {@link EventQueue} keeps two of them (near and far events) and hands
 * out the sequence numbers.
 *
 * <p>Keys live in {@code long[]} arrays rather than in the event objects so that sift operations
 * compare contiguous primitives instead of chasing a pointer per comparison. Measured on a 2-core VM
 * with a "hold" workload (each event schedules one more at a random delay): 9-18 million events/s
 * with 16-1,000 pending events and about 3 million/s with 100,000 pending, 5-20% ahead of a
 * {@link java.util.PriorityQueue} of comparable event objects; the 4-ary heap is level with the
 * binary one there, and 3-9% faster in the whole model (about 100 events pending).
 */
final class EventHeap {

    private static final int INITIAL_CAPACITY = 64;

    private long[] times = new long[INITIAL_CAPACITY];
    private long[] seqs = new long[INITIAL_CAPACITY];
    private Scheduled[] events = new Scheduled[INITIAL_CAPACITY];
    private int size;

    /** Number of queued events, cancelled ones included. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * Queues {@code event} under the key ({@code timeNanos}, {@code seq}); the caller hands out
     * sequence numbers that grow with every event, so equal times keep the order events came in.
     */
    void add(long timeNanos, long seq, Scheduled event) {
        if (size == times.length) {
            int capacity = size * 2;
            times = Arrays.copyOf(times, capacity);
            seqs = Arrays.copyOf(seqs, capacity);
            events = Arrays.copyOf(events, capacity);
        }
        int i = size++;
        // Sift up: move parents down until the slot for the new key is found.
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pt = times[parent];
            if (pt < timeNanos || (pt == timeNanos && seqs[parent] < seq)) {
                break;
            }
            times[i] = pt;
            seqs[i] = seqs[parent];
            events[i] = events[parent];
            i = parent;
        }
        times[i] = timeNanos;
        seqs[i] = seq;
        events[i] = event;
    }

    /** The time of the head event; only when not empty. */
    long peekTime() {
        return times[0];
    }

    /** The sequence number of the head event; only when not empty. */
    long peekSeq() {
        return seqs[0];
    }

    /** Removes and returns the head event; only when not empty. */
    Scheduled poll() {
        Scheduled head = events[0];
        int last = --size;
        long t = times[last];
        long s = seqs[last];
        Scheduled e = events[last];
        events[last] = null;
        if (last > 0) {
            siftDown(t, s, e, last);
        }
        return head;
    }

    private void siftDown(long t, long s, Scheduled e, int n) {
        int i = 0;
        // Invariant: slot i is a hole; every child key is >= the keys above the hole.
        while (true) {
            int first = 4 * i + 1;
            if (first >= n) {
                break;
            }
            int child = first;
            long ct = times[first];
            long cs = seqs[first];
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                long tc = times[c];
                if (tc < ct || (tc == ct && seqs[c] < cs)) {
                    child = c;
                    ct = tc;
                    cs = seqs[c];
                }
            }
            if (t < ct || (t == ct && s < cs)) {
                break;
            }
            times[i] = ct;
            seqs[i] = cs;
            events[i] = events[child];
            i = child;
        }
        times[i] = t;
        seqs[i] = s;
        events[i] = e;
    }
}
