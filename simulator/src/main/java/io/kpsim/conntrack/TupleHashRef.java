package io.kpsim.conntrack;

/**
 * The one encoding of "an entry, seen from one direction": {@code entry << 1 | dir}, an int that
 * stands for one of the entry's two {@code struct nf_conntrack_tuple_hash}es.
 *
 * <p>The kernel's hash table holds {@code tuplehash[IP_CT_DIR_ORIGINAL]} and
 * {@code tuplehash[IP_CT_DIR_REPLY]} of every confirmed conntrack; a lookup returns the tuplehash
 * that matched, and {@code nf_ct_tuplehash_to_ctrack()} and {@code NF_CT_DIRECTION()}
 * ({@code include/net/netfilter/nf_conntrack_tuple.h}) turn it back into the conntrack and the
 * packet's direction. kpsim uses the same idea wherever an entry and a direction travel together:
 *
 * <ul>
 *   <li>the values of the lookup table, {@link TupleIndex} (what a lookup returns);</li>
 *   <li>{@link EntryStore}'s per-direction fields: {@code seen[dir]} of {@code struct ip_ct_tcp}
 *       and the tuple of each direction are addressed by the ref of that direction.</li>
 * </ul>
 *
 * <p>Only this class packs or unpacks a ref. Entries are non-negative, so a ref is too, and a
 * table value of {@link ConnTable#NOT_FOUND} is never a ref.
 */
final class TupleHashRef {

    /**
     * How many entries refs can name: entries 0 to {@code MAX_ENTRIES - 1}, whose reply refs are
     * still a {@link ConnTable} value (at most {@link ConnTable#MAX_VALUE}).
     */
    static final int MAX_ENTRIES = (ConnTable.MAX_VALUE + 1) >> 1;

    private TupleHashRef() {}

    /** The ref of {@code entry}'s tuplehash in direction {@code dir} (0 ORIGINAL, 1 REPLY). */
    static int of(int entry, int dir) {
        return entry << 1 | dir;
    }

    /** {@code tuplehash[IP_CT_DIR_ORIGINAL]} of {@code entry}. */
    static int original(int entry) {
        return entry << 1;
    }

    /** {@code tuplehash[IP_CT_DIR_REPLY]} of {@code entry}. */
    static int reply(int entry) {
        return entry << 1 | 1;
    }

    /** {@code nf_ct_tuplehash_to_ctrack()}: the entry the ref belongs to. */
    static int entry(int ref) {
        return ref >>> 1;
    }

    /** {@code NF_CT_DIRECTION()}: 0 for ORIGINAL, 1 for REPLY. */
    static int dir(int ref) {
        return ref & 1;
    }

    /** The same entry's other tuplehash (sender's {@code seen[]} to receiver's, and back). */
    static int opposite(int ref) {
        return ref ^ 1;
    }
}
