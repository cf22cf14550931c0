package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {

    /** RFC 1071 straight from the text: 16-bit words, end-around carry each step. */
    private static int reference(byte[] b, int offset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            int word = (b[offset + i] & 0xff) << 8;
            if (i + 1 < length) {
                word |= b[offset + i + 1] & 0xff;
            }
            sum += word;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    @Test
    void matchesTheRfc1071DefinitionForAllLengthsAndOffsets() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] b = new byte[2000];
        for (int round = 0; round < 400; round++) {
            random.nextBytes(b);
            int offset = random.nextInt(17);
            int length = round < 40 ? round : random.nextInt(b.length - offset);
            assertEquals(
                    reference(b, offset, length),
                    InternetChecksum.of(b, offset, length),
                    "offset " + offset + " length " + length);
        }
    }

    @Test
    void foldingWithoutALoopEqualsFoldingUntilNoCarryIsLeft() {
        SplittableRandom random = new SplittableRandom(17);
        long[] edges = {
            0, 1, 0xffff, 0x10000, 0x1fffe, 0x1ffff, 0xffffffffL, 0x100000000L, 0xffff_ffff_ffffL, Long.MAX_VALUE
        };
        for (long sum : edges) {
            assertEquals(loopFold(sum), InternetChecksum.finish(sum), Long.toHexString(sum));
        }
        for (int i = 0; i < 1_000_000; i++) {
            long sum = random.nextLong() >>> random.nextInt(1, 64);
            assertEquals(loopFold(sum), InternetChecksum.finish(sum), Long.toHexString(sum));
        }
    }

    /** End-around carry until none is left, then the complement. */
    private static int loopFold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void allOnesDataSumsToNegativeZero() {
        byte[] b = new byte[64];
        java.util.Arrays.fill(b, (byte) 0xff);
        assertEquals(reference(b, 0, 64), InternetChecksum.of(b, 0, 64));
        assertEquals(0, InternetChecksum.of(b, 0, 64));
    }

    @Test
    void rfc1071WorkedExample() {
        // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, checksum 220d
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0x220d, InternetChecksum.of(b, 0, b.length));
    }
}
