package io.kpsim.pcap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * big-endian words, as {@code ip_fast_csum()} and {@code csum_tcpudp_magic()} compute it.
 *
 * <p>RFC 1071 §2(B): the sum is independent of word size, so the bulk of the data is added as
 * big-endian 32-bit halves of 64-bit reads, carried in a {@code long} (a 64 KiB datagram adds at
 * most 2^14 values below 2^32) and folded once at the end.
 */
final class InternetChecksum {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private InternetChecksum() {}

    /** Adds {@code length} bytes starting at {@code offset} to a running (unfolded) sum. */
    static long add(long sum, byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        long wide = 0;
        while (i + 8 <= end) {
            long word = (long) LONGS.get(bytes, i);
            wide += (word >>> 32) + (word & 0xffffffffL);
            i += 8;
        }
        sum += (wide >>> 32) + (wide & 0xffffffffL); // 2^32 = 1 (mod 2^16 - 1): carries fold in
        while (i + 1 < end) {
            sum += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
            i += 2;
        }
        if (i < end) {
            sum += (bytes[i] & 0xff) << 8; // odd length: pad with a zero byte
        }
        return sum;
    }

    /** The TCP/UDP pseudo-header (RFC 9293 §3.1, RFC 768) as an unfolded sum. */
    static long pseudoHeader(int srcIp, int dstIp, int protocol, int l4Length) {
        return (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + protocol + l4Length;
    }

    /**
     * Folds a running sum to 16 bits and complements it: the value to put in the header. Four
     * folds without a loop, as {@code csum_fold()} does: 64 bits to at most 33, to 18, to 17, to 16.
     */
    static int finish(long sum) {
        sum = (sum >>> 32) + (sum & 0xffffffffL);
        sum = (sum >>> 16) + (sum & 0xffff);
        sum = (sum >>> 16) + (sum & 0xffff);
        sum = (sum >>> 16) + (sum & 0xffff);
        return (int) (~sum & 0xffff);
    }

    /** The checksum of a byte range (for a range that holds its own checksum, 0 means valid). */
    static int of(byte[] bytes, int offset, int length) {
        return finish(add(0, bytes, offset, length));
    }
}
