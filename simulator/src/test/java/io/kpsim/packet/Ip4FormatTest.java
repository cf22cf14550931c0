package io.kpsim.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Ip4#format} writes what string concatenation of the octets and the port writes. */
class Ip4FormatTest {

    private static String concatenated(int a) {
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    @Test
    void everyOctetWidthAndPortWidth() {
        int[] addresses = {0, -1, 0x0A000001, 0x01020304, 0x0A60000A, 0xC0A80A64, 0x64646464, 0x7F000001};
        int[] ports = {0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 65_535, 99_999, 100_000, -1, Integer.MIN_VALUE};
        for (int a : addresses) {
            assertEquals(concatenated(a), Ip4.format(a));
            for (int p : ports) {
                assertEquals(concatenated(a) + ":" + p, Ip4.format(a, p));
            }
        }
    }

    @Test
    void randomAddressesAndPorts() {
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 200_000; i++) {
            int a = random.nextInt();
            int p = random.nextInt(65_536);
            assertEquals(concatenated(a) + ":" + p, Ip4.format(a, p));
            assertEquals(a, Ip4.parse(Ip4.format(a)));
        }
    }
}
