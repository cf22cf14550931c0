package io.kpsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kpsim.packet.Ip4;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonText}'s numbers, addresses and timestamps are exactly what Java's own formatting
 * gives: the digit writer takes two digits per division, so every digit count and both ends of
 * each range are checked, and a buffer too small for what follows must grow.
 */
class JsonTextTest {

    @Test
    void numbersAreLongToString() {
        long[] edges = {
            0,
            1,
            9,
            10,
            11,
            99,
            100,
            101,
            255,
            999,
            1_000,
            65_535,
            99_999,
            100_000,
            999_999_999,
            1_000_000_000,
            Integer.MAX_VALUE,
            Integer.MAX_VALUE + 1L,
            0xffffffffL,
            9_999_999_999L,
            2_000_000_007L, // the nine low digits start with zeros
            3_000_000_000L,
            4_000_000_000L,
            4_294_967_295L,
            10_000_000_000L,
            2_147_483_647_999_999_999L, // the largest value written as two ints
            2_147_483_648_000_000_000L, // the smallest written by long division
            Long.MAX_VALUE,
            -1,
            -9,
            -2_000_000_007L,
            -4_294_967_295L,
            -10,
            Integer.MIN_VALUE,
            Long.MIN_VALUE + 1,
            Long.MIN_VALUE
        };
        for (long v : edges) {
            assertEquals(Long.toString(v), new JsonText(1).number(v).toString(), "value " + v);
        }
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
            for (long v : new long[] {p - 1, p, p + 1, 2 * p - 1}) {
                assertEquals(Long.toString(v), new JsonText(1).number(v).toString(), "value " + v);
            }
        }
        SplittableRandom random = new SplittableRandom(17);
        JsonText many = new JsonText(16);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            long v = switch (i % 4) {
                case 0 -> random.nextLong();
                case 1 -> random.nextInt() & 0xffffffffL; // a 32-bit sequence number, unsigned
                case 2 -> random.nextLong() >>> random.nextInt(64);
                default -> random.nextInt() & 0x7fffffffL >>> random.nextInt(31);
            };
            many.number(v).ascii(',');
            expected.append(v).append(',');
        }
        assertEquals(expected.toString(), many.toString());
    }

    @Test
    void addressesAreIp4Format() {
        SplittableRandom random = new SplittableRandom(5);
        JsonText text = new JsonText(1);
        StringBuilder expected = new StringBuilder();
        int[] ips = {0, -1, 0x0A000001, 0x0A60000A, 0x64646464, 0x09090909};
        int[] ports = {0, 9, 10, 99, 100, 999, 1_000, 65_535, 70_000, Integer.MAX_VALUE};
        for (int ip : ips) {
            for (int port : ports) {
                text.address(ip, port);
                expected.append('"').append(Ip4.format(ip, port)).append('"');
            }
            text.address(ip, -1);
            expected.append('"').append(Ip4.format(ip)).append('"');
        }
        for (int i = 0; i < 20_000; i++) {
            int ip = random.nextInt();
            int port = random.nextInt(65_536);
            text.address(ip, port);
            expected.append('"').append(Ip4.format(ip, port)).append('"');
        }
        assertEquals(expected.toString(), text.toString());
    }

    @Test
    void timestampsKeepTheirDigits() {
        assertEquals(
                "\"1700000000.123456\"",
                new JsonText(1).timestamp(1_700_000_000_123_456_789L, 6).toString());
        assertEquals(
                "\"1700000000.123456789\"",
                new JsonText(1).timestamp(1_700_000_000_123_456_789L, 9).toString());
        assertEquals(
                "\"1700000000.000001\"",
                new JsonText(1).timestamp(1_700_000_000_000_001_000L, 6).toString());
        assertEquals(
                "\"1700000000\"",
                new JsonText(1).timestamp(1_700_000_000_999_999_999L, 0).toString());
        assertEquals("\"-1.999999\"", new JsonText(1).timestamp(-1_000L, 6).toString());
    }

    @Test
    void timestampsOfEveryPrecisionAreTheTruncatedFraction() {
        SplittableRandom random = new SplittableRandom(9);
        long[] edges = {
            0, 1, 9, 10, 99, 100, 999_999_999, 1_000_000_000, 1_700_000_000_000_000_000L, -1, -1_000_000_001L
        };
        for (int digits = 0; digits <= 9; digits++) {
            for (int i = 0; i < edges.length + 2_000; i++) {
                long nanos = i < edges.length ? edges[i] : random.nextLong() >> random.nextInt(20);
                String fraction = String.format("%09d", Math.floorMod(nanos, 1_000_000_000L))
                        .substring(0, digits);
                String expected =
                        "\"" + Math.floorDiv(nanos, 1_000_000_000L) + (digits > 0 ? "." + fraction : "") + "\"";
                assertEquals(
                        expected,
                        new JsonText(1).timestamp(nanos, digits).toString(),
                        "nanos " + nanos + ", " + digits + " digits");
            }
        }
    }
}
