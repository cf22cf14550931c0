package io.kpsim.cluster;

import io.kpsim.packet.Packet;

/**
 * The packets on one link's wire, ordered by arrival time (ties by the order they were sent): a
 * binary min-heap in parallel arrays. A link hands the simulation only its earliest arrival, so
 * the simulation's own queue holds one event per busy link instead of one per packet in flight,
 * and a link whose arrivals come in sending order (no jitter, no hold-back) keeps them in a ring
 * instead, where adding and removing cost O(1).
 */
final class InFlight {

    /** Whether arrivals are added in time order, so the arrays are a ring from {@code head}. */
    private final boolean fifo;

    private int head;

    private long[] times = new long[16];
    private long[] seqs = new long[16];
    private long[] ids = new long[16];
    /** When each packet was sent, if the link hands its hop with the arrival (the trace's), else -1. */
    private long[] sents = new long[16];

    private int[] sizes = new int[16];
    private Packet[] packets = new Packet[16];
    private int size;
    private long nextSeq;

    /**
     * An empty queue.
     *
     * @param fifo whether every arrival is added no earlier than the previous one
     */
    InFlight(boolean fifo) {
        this.fifo = fifo;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The earliest arrival time; only when not empty. */
    long headTime() {
        return times[head];
    }

    Packet headPacket() {
        return packets[head];
    }

    long headId() {
        return ids[head];
    }

    int headSize() {
        return sizes[head];
    }

    /** When the head was sent, as given to {@link #add}. */
    long headSent() {
        return sents[head];
    }

    /** Adds a packet due at {@code time}; {@code sent} is kept for the trace (-1: not needed). */
    void add(long time, Packet packet, long id, int bytes, long sent) {
        if (size == times.length) {
            grow();
        }
        if (fifo) {
            if (size > 0 && time < times[(head + size - 1) & (times.length - 1)]) {
                throw new IllegalStateException("arrival " + time + " added out of order to a FIFO link");
            }
            set((head + size) & (times.length - 1), time, 0, id, bytes, packet, sent);
            size++;
            return;
        }
        long seq = nextSeq++;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long pt = times[parent];
            if (pt < time || (pt == time && seqs[parent] < seq)) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        set(i, time, seq, id, bytes, packet, sent);
    }

    /** Removes the head; read it first with the head accessors. */
    void removeHead() {
        if (fifo) {
            packets[head] = null;
            head = (head + 1) & (times.length - 1);
            size--;
            return;
        }
        int last = --size;
        long t = times[last];
        long s = seqs[last];
        long id = ids[last];
        int bytes = sizes[last];
        long sent = sents[last];
        Packet p = packets[last];
        packets[last] = null;
        if (last == 0) {
            return;
        }
        int i = 0;
        int half = last >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < last
                    && (times[right] < times[child] || (times[right] == times[child] && seqs[right] < seqs[child]))) {
                child = right;
            }
            if (t < times[child] || (t == times[child] && s < seqs[child])) {
                break;
            }
            move(child, i);
            i = child;
        }
        set(i, t, s, id, bytes, p, sent);
    }

    /** Doubles the arrays; a ring is unrolled so it starts at index 0 again. */
    private void grow() {
        int n = times.length * 2;
        times = unroll(times, n);
        seqs = unroll(seqs, n);
        ids = unroll(ids, n);
        sents = unroll(sents, n);
        sizes = unroll(sizes, n);
        Packet[] p = new Packet[n];
        for (int i = 0; i < size; i++) {
            p[i] = packets[(head + i) & (packets.length - 1)];
        }
        packets = p;
        head = 0;
    }

    private long[] unroll(long[] a, int n) {
        long[] b = new long[n];
        for (int i = 0; i < size; i++) {
            b[i] = a[(head + i) & (a.length - 1)];
        }
        return b;
    }

    private int[] unroll(int[] a, int n) {
        int[] b = new int[n];
        for (int i = 0; i < size; i++) {
            b[i] = a[(head + i) & (a.length - 1)];
        }
        return b;
    }

    private void move(int from, int to) {
        times[to] = times[from];
        seqs[to] = seqs[from];
        ids[to] = ids[from];
        sents[to] = sents[from];
        sizes[to] = sizes[from];
        packets[to] = packets[from];
    }

    private void set(int i, long time, long seq, long id, int bytes, Packet packet, long sent) {
        times[i] = time;
        seqs[i] = seq;
        ids[i] = id;
        sents[i] = sent;
        sizes[i] = bytes;
        packets[i] = packet;
    }
}
