package io.kpsim.diagnose;

import io.kpsim.conntrack.Tuple;

/**
 * A set of conntrack tuples packed into two {@code long}s each, in open addressing: what
 * {@link ResetFinder} remembers of every connection it has seen.
 *
 * <p>Why not a {@code HashSet<Tuple>}: {@code kpsim diagnose} asks it for every packet, and on a
 * capture of 600,000 connections a boxed set costs a node, a tuple and a table slot per
 * connection (about 80 bytes) and a pointer chase per probe; here a connection is 16 bytes in two
 * arrays and a probe reads one slot of each. A tuple is exactly its 104 bits (both addresses, both
 * ports or the ICMP identifier and type, the protocol), so nothing is lost in packing.
 */
final class TupleSet {

    /** Set in every occupied slot's low word (bits 0-39 hold the ports and the protocol). */
    private static final long OCCUPIED = 1L << 62;

    private long[] highs = new long[1024];
    private long[] lows = new long[1024];
    private int size;

    /** Adds {@code t}; whether it was not in the set. */
    boolean add(Tuple t) {
        long high = high(t);
        long low = low(t);
        int mask = highs.length - 1;
        for (int i = home(high, low, mask); ; i = (i + 1) & mask) {
            if (lows[i] == 0) {
                highs[i] = high;
                lows[i] = low;
                if (++size * 4 > highs.length * 3) {
                    grow();
                }
                return true;
            }
            if (highs[i] == high && lows[i] == low) {
                return false;
            }
        }
    }

    /** Whether {@code t} is in the set. */
    boolean contains(Tuple t) {
        long high = high(t);
        long low = low(t);
        int mask = highs.length - 1;
        for (int i = home(high, low, mask); lows[i] != 0; i = (i + 1) & mask) {
            if (highs[i] == high && lows[i] == low) {
                return true;
            }
        }
        return false;
    }

    /** Tuples in the set. */
    int size() {
        return size;
    }

    private void grow() {
        long[] oldHighs = highs;
        long[] oldLows = lows;
        highs = new long[oldHighs.length * 2];
        lows = new long[oldLows.length * 2];
        int mask = highs.length - 1;
        for (int j = 0; j < oldLows.length; j++) {
            if (oldLows[j] != 0) {
                int i = home(oldHighs[j], oldLows[j], mask);
                while (lows[i] != 0) {
                    i = (i + 1) & mask;
                }
                highs[i] = oldHighs[j];
                lows[i] = oldLows[j];
            }
        }
    }

    private static long high(Tuple t) {
        return ((long) t.srcIp() << 32) | (t.dstIp() & 0xffffffffL);
    }

    private static long low(Tuple t) {
        if ((t.srcPort() | t.dstPort()) >>> 16 != 0) { // ports, ICMP ids and type-code pairs are 16 bits
            throw new IllegalArgumentException("a tuple's ports do not fit 16 bits: " + t);
        }
        return OCCUPIED | ((long) t.protocol().ordinal() << 32) | ((long) t.srcPort() << 16) | t.dstPort();
    }

    /** A slot from both words, mixed as {@code SplittableRandom}'s {@code mix64} mixes (Stafford's variant 13). */
    private static int home(long high, long low, int mask) {
        long z = high * 0x9e3779b97f4a7c15L ^ low;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return (int) (z ^ (z >>> 31)) & mask;
    }
}
