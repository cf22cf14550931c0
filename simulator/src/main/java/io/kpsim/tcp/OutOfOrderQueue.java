package io.kpsim.tcp;

import io.kpsim.packet.Seq;
import java.util.Arrays;

/**
 * The data a receiver holds beyond RCV.NXT for reassembly (Linux's {@code out_of_order_queue}):
 * sorted, disjoint ranges of sequence numbers (compared modulo 2^32 with {@link Seq}, all within one
 * window of RCV.NXT), each stamped with when it last grew, so that SACK
 * can report the newest first (RFC 2018 §4).
 *
 * <p>A receiver ({@link ReceiveBuffer}) makes one on its first out-of-order arrival and lets it go once RCV.NXT
 * has swallowed every range (issue 17's memory per connection): most connections never hold one,
 * and an idle connection never does. Stamps only order the ranges held at one time, so a new queue
 * can start its clock again.
 */
final class OutOfOrderQueue {

    /** Room for ranges in a new queue; it doubles when full. */
    private static final int FIRST_RANGES = 8;

    private int[] starts = new int[FIRST_RANGES];
    private int[] ends = new int[FIRST_RANGES];
    /** Arrival stamp of each range; the newest comes first in SACK (RFC 2018 §4). */
    private long[] stamps = new long[FIRST_RANGES];
    /** Scratch for {@link #newestFirst}: which ranges are already reported. */
    private boolean[] reported;

    private int count;
    private long clock;
    private int bytes;

    boolean isEmpty() {
        return count == 0;
    }

    /** Bytes held. */
    int bytes() {
        return bytes;
    }

    /** The start of the lowest range (the queue is not empty). */
    int firstStart() {
        return starts[0];
    }

    /** The right edge of the highest range (the queue is not empty; Linux's RST check uses it). */
    int highestEnd() {
        return ends[count - 1];
    }

    /** Removes the lowest range and returns its end: RCV.NXT reached its start. */
    int takeFirst() {
        int end = ends[0];
        bytes -= end - starts[0];
        shift(1, 0, count - 1);
        count--;
        return end;
    }

    /**
     * Adds {@code [start, end)}, merging it with the ranges it touches. Returns false when every byte
     * of it was already held; the caller reports that as a duplicate.
     */
    boolean insert(int start, int end) {
        int i = 0;
        while (i < count && Seq.before(ends[i], start)) {
            i++;
        }
        if (i < count && Seq.beforeOrEqual(starts[i], start) && Seq.beforeOrEqual(end, ends[i])) {
            stamps[i] = ++clock;
            return false;
        }
        int j = i;
        int s = start;
        int e = end;
        int absorbed = 0;
        while (j < count && Seq.beforeOrEqual(starts[j], e)) {
            s = Seq.before(starts[j], s) ? starts[j] : s;
            e = Seq.max(e, ends[j]);
            absorbed += ends[j] - starts[j];
            j++;
        }
        int removed = j - i;
        if (removed == 0) {
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
                stamps = Arrays.copyOf(stamps, count * 2);
            }
            shift(i, i + 1, count - i);
            count++;
        } else if (removed > 1) {
            shift(j, i + 1, count - j);
            count -= removed - 1;
        }
        starts[i] = s;
        ends[i] = e;
        stamps[i] = ++clock;
        bytes += (e - s) - absorbed;
        return true;
    }

    private void shift(int from, int to, int length) {
        System.arraycopy(starts, from, starts, to, length);
        System.arraycopy(ends, from, ends, to, length);
        System.arraycopy(stamps, from, stamps, to, length);
    }

    /**
     * Writes up to {@code max} ranges, newest first, as {start, end} pairs into {@code out} from
     * pair {@code n} on; returns the pair count afterwards.
     */
    int newestFirst(int[] out, int n, int max) {
        if (reported == null || reported.length < count) {
            reported = new boolean[stamps.length];
        }
        boolean[] used = reported;
        Arrays.fill(used, 0, count, false);
        while (n < max) {
            int best = -1;
            for (int i = 0; i < count; i++) {
                if (!used[i] && (best < 0 || stamps[i] > stamps[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            used[best] = true;
            out[2 * n] = starts[best];
            out[2 * n + 1] = ends[best];
            n++;
        }
        return n;
    }
}
