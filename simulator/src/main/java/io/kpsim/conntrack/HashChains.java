package io.kpsim.conntrack;

import java.util.Arrays;

/**
 * The kernel's bucket chains ({@code nf_conntrack_hash}: {@code nf_conntrack_buckets}
 * {@code hlist_nulls} heads, each confirmed tuplehash linked into the bucket
 * {@code reciprocal_scale(hash_conntrack_raw(tuple), buckets)}), kept beside kpsim's
 * open-addressing lookup table ({@link TupleIndex}) for what depends on them: {@code early_drop()}
 * walks eight buckets, {@code __nf_conntrack_confirm()} measures chain lengths, the gc worker scans
 * bucket by bucket. Lookups never come here, so the established-packet path does not pay for them;
 * a confirmation links two nodes in constant time and a kill unlinks them in their chains' length.
 *
 * <p>Nodes are {@link TupleHashRef}s, inserted at the head as {@code hlist_nulls_add_head_rcu()}
 * does. The chains are singly linked: {@code hlist_nulls} keeps a {@code pprev} per node so that
 * {@code hlist_nulls_del_rcu()} unlinks in constant time, and kpsim instead walks the node's bucket
 * from its head to find the predecessor ({@link #remove} takes the bucket, which the caller hashes
 * from the tuple): at the default bucket count a chain is about one node long, and the link
 * it saves is 4 bytes per tuplehash. {@code next} encodes where a node stands: {@code s + 2} for a
 * linked node whose successor is {@code s} ({@code 1} at the end of its chain), the same negated
 * once it is unlinked, 0 for a node never linked. An unlinked node keeps its successor, as
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
        next[h] = head[bucket] + 1; // the old first node s as s + 2, or 1 for none
        head[bucket] = h + 1;
        used[bucket >>> 6] |= 1L << bucket;
    }

    /**
     * Unlinks {@code h} from {@code bucket}, the bucket it was linked into, if it is linked; its
     * successor stays for a walk standing on it.
     *
     * @throws IllegalStateException if {@code h} is linked but not into {@code bucket} (an internal
     *     error: the caller hashed another tuple)
     */
    void remove(int h, int bucket) {
        if (!linked(h)) {
            return;
        }
        int link = next[h];
        if (head[bucket] == h + 1) {
            head[bucket] = link - 1;
            if (link == 1) {
                used[bucket >>> 6] &= ~(1L << bucket);
            }
        } else {
            int p = first(bucket);
            while (p >= 0 && next[p] != h + 2) {
                p = next(p);
            }
            if (p < 0) {
                throw new IllegalStateException("conntrack tuplehash " + h + " is not in bucket " + bucket);
            }
            next[p] = link;
        }
        next[h] = -link;
    }

    /** Whether {@code h} is linked into a chain. */
    boolean linked(int h) {
        return h < next.length && next[h] > 0;
    }

    /** The first node of {@code bucket}, or -1. */
    int first(int bucket) {
        return head[bucket] - 1;
    }

    /** The node after {@code h} (also after an unlinked {@code h}), or -1. */
    int next(int h) {
        int link = next[h];
        return link == 0 ? -1 : Math.abs(link) - 2;
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
                + TableMemory.intArray(next.length);
    }

    /** Makes room for links of {@code nodes} tuplehashes at once ({@link EntryStore#reserve}). */
    void reserve(int nodes) {
        if (nodes > next.length) {
            next = Arrays.copyOf(next, nodes);
        }
    }

    private void ensure(int h) {
        if (h >= next.length) {
            int n = Math.max(TableMemory.CHAIN_MIN_LINKS, (int) Math.max(h + 1, TableMemory.grown(next.length)));
            next = Arrays.copyOf(next, n);
        }
    }
}
