package io.kpsim.conntrack;

import java.util.Arrays;

/**
 * TEMPORARY STAND-IN for the connection table owned by the table workstream (branch
 * {@code feat/table}); it has exactly that API so conntrack compiles and is tested now, and is
 * replaced at merge.
 *
 * <p>Maps a tuple packed into two longs (as the kernel hashes {@code struct nf_conntrack_tuple}
 * without {@code dst.dir}) to an int value. Open addressing with linear probing and backward-shift
 * deletion; the hash is keyed by a per-table seed, like the kernel's {@code nf_conntrack_hash_rnd}.
 */
public final class ConnTable {

    /** Returned by lookups that find nothing. */
    public static final int NOT_FOUND = -1;

    private final long seed;
    private long[] highs;
    private long[] lows;
    private int[] values;
    private int mask;
    private int size;

    /**
     * Creates a table sized for {@code initialConnections} connections (two keys each); it grows as
     * needed.
     */
    public ConnTable(int initialConnections, long seed) {
        this.seed = seed;
        int slots = Integer.highestOneBit(Math.max(16, Math.min(1 << 28, initialConnections * 4)) - 1) << 1;
        allocate(slots);
    }

    /** The high key half: source and destination address. */
    public static long keyHigh(int srcIp, int dstIp) {
        return ((long) srcIp << 32) | (dstIp & 0xffffffffL);
    }

    /** The low key half: protocol number and both ports. */
    public static long keyLow(int protocol, int srcPort, int dstPort) {
        return ((long) (protocol & 0xff) << 32) | ((srcPort & 0xffff) << 16) | (dstPort & 0xffff);
    }

    /** The value stored for the key, or {@link #NOT_FOUND}. */
    public int get(long keyHigh, long keyLow) {
        int i = home(keyHigh, keyLow);
        int v;
        while ((v = values[i]) != NOT_FOUND) {
            if (highs[i] == keyHigh && lows[i] == keyLow) {
                return v;
            }
            i = (i + 1) & mask;
        }
        return NOT_FOUND;
    }

    /** Inserts the key unless present; returns false when it already is. */
    public boolean putIfAbsent(long keyHigh, long keyLow, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("table values must be >= 0, got " + value);
        }
        if ((size + 1) * 2 > values.length) {
            grow();
        }
        int i = home(keyHigh, keyLow);
        while (values[i] != NOT_FOUND) {
            if (highs[i] == keyHigh && lows[i] == keyLow) {
                return false;
            }
            i = (i + 1) & mask;
        }
        highs[i] = keyHigh;
        lows[i] = keyLow;
        values[i] = value;
        size++;
        return true;
    }

    /** Removes the key; returns its value or {@link #NOT_FOUND}. */
    public int remove(long keyHigh, long keyLow) {
        int i = home(keyHigh, keyLow);
        int v;
        while ((v = values[i]) != NOT_FOUND) {
            if (highs[i] == keyHigh && lows[i] == keyLow) {
                values[i] = NOT_FOUND;
                size--;
                compact(i);
                return v;
            }
            i = (i + 1) & mask;
        }
        return NOT_FOUND;
    }

    /** Looks up {@code count} keys. */
    public void getBatch(long[] keyHighs, long[] keyLows, int count, int[] out) {
        for (int k = 0; k < count; k++) {
            out[k] = get(keyHighs[k], keyLows[k]);
        }
    }

    /** Keys stored. */
    public int size() {
        return size;
    }

    /**
     * The values of the occupied slots among the {@code maxSlots} slots starting at the key's home
     * slot, in slot order ({@code early_drop()} scans {@code NF_CT_EVICTION_RANGE} buckets).
     */
    public int neighbours(long keyHigh, long keyLow, int maxSlots, int[] out) {
        int i = home(keyHigh, keyLow);
        int n = 0;
        for (int k = 0; k < Math.min(maxSlots, values.length) && n < out.length; k++) {
            int v = values[(i + k) & mask];
            if (v != NOT_FOUND) {
                out[n++] = v;
            }
        }
        return n;
    }

    /** Bytes held by the arrays. */
    public long memoryBytes() {
        return (long) values.length * (8 + 8 + 4);
    }

    private int home(long keyHigh, long keyLow) {
        long x = keyHigh * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(keyLow ^ seed, 29);
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        x ^= x >>> 31;
        return (int) x & mask;
    }

    private void compact(int deleted) {
        int hole = deleted;
        int i = (deleted + 1) & mask;
        while (values[i] != NOT_FOUND) {
            int h = home(highs[i], lows[i]);
            boolean movable = hole <= i ? (h <= hole || h > i) : (h <= hole && h > i);
            if (movable) {
                highs[hole] = highs[i];
                lows[hole] = lows[i];
                values[hole] = values[i];
                values[i] = NOT_FOUND;
                hole = i;
            }
            i = (i + 1) & mask;
        }
    }

    private void allocate(int slots) {
        highs = new long[slots];
        lows = new long[slots];
        values = new int[slots];
        Arrays.fill(values, NOT_FOUND);
        mask = slots - 1;
        size = 0;
    }

    private void grow() {
        long[] oldHighs = highs;
        long[] oldLows = lows;
        int[] oldValues = values;
        allocate(values.length * 2);
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != NOT_FOUND) {
                putIfAbsent(oldHighs[i], oldLows[i], oldValues[i]);
            }
        }
    }
}
