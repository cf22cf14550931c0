package io.kpsim.bench;

import io.kpsim.conntrack.ConnTable;
import io.kpsim.conntrack.TupleHash;
import java.util.SplittableRandom;

/**
 * Baseline: the kernel's table shape in Java. {@code nf_conntrack_hash} is an array of
 * {@code hlist_nulls_head} buckets; each {@code nf_conn} links its two
 * {@code nf_conntrack_tuple_hash} nodes ({@code tuplehash[IP_CT_DIR_ORIGINAL]} and
 * {@code [IP_CT_DIR_REPLY]}) into the bucket of its tuple, and {@code ____nf_conntrack_find} walks
 * the chain comparing tuples. Here each node is a small object holding the packed tuple and the
 * value, pushed at the head of its bucket as {@code hlist_nulls_add_head_rcu} does.
 *
 * <p>To compare structure rather than hash, it uses the same seeded {@link TupleHash} as
 * {@link ConnTable}, and is given one bucket per key (twice as many buckets as connections, the
 * ratio Westphal's 2021 commit asks for, more generous than today's default of one bucket per
 * connection). Like the kernel's table it never resizes. A hit costs two dependent loads: the
 * bucket head, then the node.
 */
final class ChainedConnTable {

    /** One direction of one connection: {@code struct nf_conntrack_tuple_hash}. */
    private static final class TupleHashNode {
        final long keyHigh;
        final long keyLow;
        final int value;
        TupleHashNode next;

        TupleHashNode(long keyHigh, long keyLow, int value, TupleHashNode next) {
            this.keyHigh = keyHigh;
            this.keyLow = keyLow;
            this.value = value;
            this.next = next;
        }
    }

    private final TupleHashNode[] buckets;
    private final int shift;
    private final long seedHigh;
    private final long seedLow;

    ChainedConnTable(int connections, long seed) {
        int bucketCount = Integer.highestOneBit(Math.max(2, 2 * connections - 1)) << 1;
        buckets = new TupleHashNode[bucketCount];
        shift = Long.numberOfLeadingZeros(bucketCount - 1L);
        SplittableRandom secret = new SplittableRandom(seed);
        seedHigh = secret.nextLong();
        seedLow = secret.nextLong();
    }

    private int bucket(long keyHigh, long keyLow) {
        return (int) (TupleHash.hash(keyHigh, keyLow, seedHigh, seedLow) >>> shift);
    }

    int get(long keyHigh, long keyLow) {
        for (TupleHashNode n = buckets[bucket(keyHigh, keyLow)]; n != null; n = n.next) {
            if (n.keyHigh == keyHigh && n.keyLow == keyLow) {
                return n.value;
            }
        }
        return ConnTable.NOT_FOUND;
    }

    boolean putIfAbsent(long keyHigh, long keyLow, int value) {
        int b = bucket(keyHigh, keyLow);
        for (TupleHashNode n = buckets[b]; n != null; n = n.next) {
            if (n.keyHigh == keyHigh && n.keyLow == keyLow) {
                return false;
            }
        }
        buckets[b] = new TupleHashNode(keyHigh, keyLow, value, buckets[b]);
        return true;
    }

    int remove(long keyHigh, long keyLow) {
        int b = bucket(keyHigh, keyLow);
        TupleHashNode previous = null;
        for (TupleHashNode n = buckets[b]; n != null; previous = n, n = n.next) {
            if (n.keyHigh == keyHigh && n.keyLow == keyLow) {
                if (previous == null) {
                    buckets[b] = n.next;
                } else {
                    previous.next = n.next;
                }
                return n.value;
            }
        }
        return ConnTable.NOT_FOUND;
    }
}
