package io.kpsim.netfilter;

/**
 * {@code struct nf_nat_range2}: what a NAT target asks {@code nf_nat_setup_info()} for.
 *
 * @param ip the first address to map to ({@code NF_NAT_RANGE_MAP_IPS}); 0 keeps the address
 * @param maxIp the last address of the range ({@code ip} for one)
 * @param minPort lowest port when {@code protoSpecified}
 * @param maxPort highest port when {@code protoSpecified}
 * @param protoSpecified {@code NF_NAT_RANGE_PROTO_SPECIFIED}: the port (or ICMP id) must lie in the range
 * @param randomAll {@code NF_NAT_RANGE_PROTO_RANDOM_ALL} ({@code --random}, {@code --random-fully}):
 *     always draw the port
 * @param persistent {@code NF_NAT_RANGE_PERSISTENT}: the address choice ignores the destination
 */
record NatRange(
        int ip, int maxIp, int minPort, int maxPort, boolean protoSpecified, boolean randomAll, boolean persistent) {

    /** One address (or none, with 0). */
    NatRange(int ip, int minPort, int maxPort, boolean protoSpecified, boolean randomAll) {
        this(ip, ip, minPort, maxPort, protoSpecified, randomAll, false);
    }

    /** A single address, any port. */
    static NatRange address(int ip) {
        return new NatRange(ip, 0, 0, false, false);
    }

    /** Whether the range maps addresses ({@code NF_NAT_RANGE_MAP_IPS}). */
    boolean mapIps() {
        return ip != 0;
    }

    /** Whether {@code address} lies in the address range. */
    boolean containsIp(int address) {
        return Integer.compareUnsigned(address, ip) >= 0 && Integer.compareUnsigned(address, maxIp) <= 0;
    }

    /**
     * {@code find_best_ips_proto()} for IPv4: one address, or the one a {@code jhash2()} of the
     * tuple's source picks from the range ({@code reciprocal_scale(j, dist)}). The hash runs over
     * the whole {@code union nf_inet_addr} (four words, the last three zero for IPv4), seeded with
     * the destination's first word XOR the zone id (0) unless {@code --persistent}; the kernel
     * hashes the words as they lie in memory, network byte order on a little-endian machine,
     * hence the byte swaps.
     */
    int bestIp(int src, int dst) {
        if (ip == maxIp) {
            return ip;
        }
        int initval = persistent ? 0 : Integer.reverseBytes(dst);
        int j = jhashAddress(Integer.reverseBytes(src), initval);
        long dist = ((maxIp - ip) & 0xffffffffL) + 1;
        return ip + (int) (((j & 0xffffffffL) * dist) >>> 32);
    }

    /** {@code jhash2(k, 4, initval)} of {@code include/linux/jhash.h} with {@code k = {word, 0, 0, 0}}. */
    static int jhashAddress(int word, int initval) {
        int a = 0xdeadbeef + (4 << 2) + initval;
        int b = a;
        int c = a;
        // the loop's one round over k[0..2] (__jhash_mix)
        a += word;
        a -= c;
        a ^= Integer.rotateLeft(c, 4);
        c += b;
        b -= a;
        b ^= Integer.rotateLeft(a, 6);
        a += c;
        c -= b;
        c ^= Integer.rotateLeft(b, 8);
        b += a;
        a -= c;
        a ^= Integer.rotateLeft(c, 16);
        c += b;
        b -= a;
        b ^= Integer.rotateLeft(a, 19);
        a += c;
        c -= b;
        c ^= Integer.rotateLeft(b, 4);
        b += a;
        // the last word k[3] is 0: a += 0, then __jhash_final
        c ^= b;
        c -= Integer.rotateLeft(b, 14);
        a ^= c;
        a -= Integer.rotateLeft(c, 11);
        b ^= a;
        b -= Integer.rotateLeft(a, 25);
        c ^= b;
        c -= Integer.rotateLeft(b, 16);
        a ^= c;
        a -= Integer.rotateLeft(c, 4);
        b ^= a;
        b -= Integer.rotateLeft(a, 14);
        c ^= b;
        c -= Integer.rotateLeft(b, 24);
        return c;
    }
}
