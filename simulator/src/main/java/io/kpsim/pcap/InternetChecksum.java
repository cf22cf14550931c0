package io.kpsim.pcap;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * big-endian words, as {@code ip_fast_csum()} and {@code csum_tcpudp_magic()} compute it.
 *
 * <p>Sums are carried in a {@code long} and folded once at the end, so a 64 KiB datagram cannot
 * overflow the accumulator.
 */
final class InternetChecksum {

    private InternetChecksum() {
    }

    /** Adds {@code length} bytes starting at {@code offset} to a running (unfolded) sum. */
    static long add(long sum, byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length - 1;
        while (i < end) {
            sum += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
            i += 2;
        }
        if (i == end) {
            sum += (bytes[i] & 0xff) << 8; // odd length: pad with a zero byte
        }
        return sum;
    }

    /** The TCP/UDP pseudo-header (RFC 9293 §3.1, RFC 768) as an unfolded sum. */
    static long pseudoHeader(int srcIp, int dstIp, int protocol, int l4Length) {
        return (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff)
                + protocol + l4Length;
    }

    /** Folds a running sum to 16 bits and complements it: the value to put in the header. */
    static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The checksum of a byte range (for a range that holds its own checksum, 0 means valid). */
    static int of(byte[] bytes, int offset, int length) {
        return finish(add(0, bytes, offset, length));
    }
}
