package io.kpsim.packet;

/**
 * An IPv4 prefix such as {@code 10.244.1.0/24}: a pod CIDR, a route, a {@code ! -s} match.
 *
 * @param network the network address, host bits zero
 * @param prefixLength 0..32
 */
public record Cidr(int network, int prefixLength) {

    /** Validates that no host bits are set. */
    public Cidr {
        if ((network & ~Ip4.mask(prefixLength)) != 0) {
            throw new IllegalArgumentException(Ip4.format(network) + "/" + prefixLength
                    + " has host bits set (expected " + Ip4.format(network & Ip4.mask(prefixLength))
                    + "/" + prefixLength + ")");
        }
    }

    /**
     * Parses {@code a.b.c.d/n}; a bare address means {@code /32}.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new Cidr(Ip4.parse(text), 32);
        }
        int length;
        try {
            length = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (expected a.b.c.d/n)");
        }
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("'" + text + "' has prefix length " + length + " (expected 0..32)");
        }
        return new Cidr(Ip4.parse(text.substring(0, slash)), length);
    }

    /** Whether {@code address} lies inside this prefix. */
    public boolean contains(int address) {
        return (address & Ip4.mask(prefixLength)) == network;
    }

    /** Whether the two prefixes share at least one address. */
    public boolean overlaps(Cidr other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        int mask = Ip4.mask(shorter);
        return (network & mask) == (other.network & mask);
    }

    @Override
    public String toString() {
        return Ip4.format(network) + "/" + prefixLength;
    }
}
