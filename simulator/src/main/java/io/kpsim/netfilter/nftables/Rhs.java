package io.kpsim.netfilter.nftables;

/**
 * The right-hand side of a match ({@code nft_cmp}, {@code nft_range}, {@code nft_bitwise} with
 * {@code nft_cmp}, {@code nft_lookup}): a value, a prefix, a range, a set, a list of flags or an
 * interface-name wildcard.
 */
public sealed interface Rhs permits Rhs.Value, Rhs.Prefix, Rhs.Range, Rhs.Flags, Rhs.Wildcard, Rhs.Lookup {

    /** Appends it as {@code nft list} prints it, formatting values as {@code type}. */
    void print(StringBuilder out, KeyType type);

    /**
     * {@code ip daddr 10.0.0.1}: equality of the loaded bytes.
     *
     * @param value the value
     */
    record Value(Datum value) implements Rhs {
        @Override
        public void print(StringBuilder out, KeyType type) {
            out.append(ElementPrinter.formatKey(type, value, value));
        }
    }

    /**
     * {@code ip saddr 10.0.0.0/8}: equality under a mask.
     *
     * @param network the address with host bits clear
     * @param length the prefix length
     */
    record Prefix(Datum network, int length) implements Rhs {
        @Override
        public void print(StringBuilder out, KeyType type) {
            out.append(type.single().format(network)).append('/').append(length);
        }

        /** Whether {@code v} lies in the prefix. */
        boolean contains(Datum v) {
            int full = length / 8;
            for (int i = 0; i < full; i++) {
                if (v.at(i) != network.at(i)) {
                    return false;
                }
            }
            int bits = length % 8;
            if (bits == 0) {
                return true;
            }
            int mask = (0xff << (8 - bits)) & 0xff;
            return (v.at(full) & mask) == network.at(full);
        }
    }

    /**
     * {@code tcp dport 1024-65535}: {@code low <= v <= high} numerically ({@code nft_range_eval()}).
     *
     * @param low the lower bound
     * @param high the upper bound
     */
    record Range(Datum low, Datum high) implements Rhs {
        @Override
        public void print(StringBuilder out, KeyType type) {
            DataType t = type.single();
            out.append(t.format(low)).append('-').append(t.format(high));
        }
    }

    /**
     * {@code ct state established,related}: {@code (v & mask) != 0} (the flag test nft compiles
     * a flag type's value to).
     *
     * @param mask the bits
     */
    record Flags(Datum mask) implements Rhs {
        @Override
        public void print(StringBuilder out, KeyType type) {
            out.append(type.single().format(mask));
        }
    }

    /**
     * {@code iifname "veth*"}: the name starts with {@code prefix} (a shorter {@code nft_cmp}).
     *
     * @param prefix the text before the {@code *}
     */
    record Wildcard(String prefix) implements Rhs {
        @Override
        public void print(StringBuilder out, KeyType type) {
            out.append('"').append(prefix).append("*\"");
        }
    }

    /**
     * {@code ip daddr @cluster-ips}, {@code tcp dport { 80, 443 }}: membership.
     *
     * @param set the set
     */
    record Lookup(SetRef set) implements Rhs {
        @Override
        public void print(StringBuilder out, KeyType type) {
            set.print(out);
        }
    }
}
