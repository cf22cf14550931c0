package io.kpsim.conntrack;

import java.util.Arrays;

/**
 * The kernel's bucket chains ({@code nf_conntrack_hash}: {@code nf_conntrack_buckets}
 * {@code hlist_nulls} heads, each confirmed tuplehash linked into the bucket
 * {@code reciprocal_scale(hash_conntrack_raw(tuple), buckets)}), kept beside kpsim's
 * open-addressing {@link ConnTable} for what depends on them: {@code early_drop()} walks eight
 * buckets, {@code __nf_conntrack_confirm()} measures chain lengths, the gc worker scans bucket by
 * bucket. Lookups never come here, so the established-packet path does not pay for them; a
 * confirmation links two nodes and a kill unlinks them, both in constant time.
 *
 * <p>Nodes are {@link TupleHashRef}s, inserted at the head as {@code hlist_nulls_add_head_rcu()}
 * does. {@code prev} encodes where a node hangs: {@code p + 1} for a predecessor node {@code p},
 * {@code -(bucket + 1)} at the head, 0 when unlinked. An unlinked node keeps its {@code next}, as
 * {@code hlist_nulls_del_rcu()} leaves {@code n->next}, so a walk that deletes the node it stands
 * on continues where the kernel's RCU walk would. A bitmap of non-empty buckets lets a scan skip
 * empty ones a word at a time.
 */
final class HashChains {

    /** {@code nf_conntrack_buckets}. */
    final int size;

    private final int[] head;
    private final long[] used;
    private int[] next = new int[0];
    private int[] prev = new int[0];

    HashChains(int buckets) {
        this.size = buckets;
        this.head = new int[buckets];
        this.used = new long[(buckets + 63) >>> 6];
    }

    /** {@code reciprocal_scale(hash, size)}: the bucket of a 32-bit hash. */
    static int scale(int hash32, int size) {
        return (int) (((hash32 & 0xffff_ffffL) * size) >>> 32);
    }

    /** Links tuplehash {@code h} at the head of {@code bucket}. */
    void insert(int h, int bucket) {
        ensure(h);
        int first = head[bucket];
        next[h] = first;
        if (first != 0) {
            prev[first - 1] = h + 1;
        }
        head[bucket] = h + 1;
        prev[h] = -(bucket + 1);
        used[bucket >>> 6] |= 1L << bucket;
    }

    /** Unlinks {@code h} if it is linked; its {@code next} stays for a walk standing on it. */
    void remove(int h) {
        if (h >= prev.length || prev[h] == 0) {
            return;
        }
        int p = prev[h];
        int n = next[h];
        if (p < 0) {
            int bucket = -p - 1;
            head[bucket] = n;
            if (n == 0) {
                used[bucket >>> 6] &= ~(1L << bucket);
            }
        } else {
            next[p - 1] = n;
        }
        if (n != 0) {
            prev[n - 1] = p;
        }
        prev[h] = 0;
    }

    /** Whether {@code h} is linked into a chain. */
    boolean linked(int h) {
        return h < prev.length && prev[h] != 0;
    }

    /** The first node of {@code bucket}, or -1. */
    int first(int bucket) {
        return head[bucket] - 1;
    }

    /** The node after {@code h} (also after an unlinked {@code h}), or -1. */
    int next(int h) {
        return next[h] - 1;
    }

    /** The first non-empty bucket at or after {@code from}, or -1. */
    int nextUsed(int from) {
        if (from >= size) {
            return -1;
        }
        int word = from >>> 6;
        long bits = used[word] & (-1L << from);
        while (true) {
            if (bits != 0) {
                int b = (word << 6) + Long.numberOfTrailingZeros(bits);
                return b < size ? b : -1;
            }
            if (++word == used.length) {
                return -1;
            }
            bits = used[word];
        }
    }

    /** Nodes in {@code bucket}, counted up to {@code limit}. */
    int length(int bucket, int limit) {
        int n = 0;
        for (int h = first(bucket); h >= 0 && n < limit; h = next(h)) {
            n++;
        }
        return n;
    }

    /** Bytes of the arrays now, headers included: the bucket heads are fixed, the links grow by doubling. */
    long heapBytes() {
        return TableMemory.intArray(head.length)
                + TableMemory.longArray(used.length)
                + TableMemory.intArray(next.length)
                + TableMemory.intArray(prev.length);
    }

    private void ensure(int h) {
        if (h >= next.length) {
            int n = Math.max(TableMemory.CHAIN_MIN_LINKS, Math.max(h + 1, next.length * 2));
            next = Arrays.copyOf(next, n);
            prev = Arrays.copyOf(prev, n);
        }
    }
}
