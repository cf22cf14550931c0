package io.kpsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kpsim.packet.Ip4;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link EndpointNames} always gives what {@link Ip4#format(int, int)} gives, whatever its cache holds. */
class EndpointNamesTest {

    @Test
    void cachedWordsAreTheFormattedOnes() {
        EndpointNames names = new EndpointNames();
        SplittableRandom random = new SplittableRandom(3);
        int[] ips = new int[EndpointNames.SLOTS * 2]; // more endpoints than slots: slots are replaced
        for (int i = 0; i < ips.length; i++) {
            ips[i] = random.nextInt();
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < ips.length; i++) {
                int port = (i * 7919) & 0xffff;
                assertEquals(Ip4.format(ips[i], port), names.name(ips[i], port));
            }
        }
        assertEquals("0.0.0.0:0", names.name(0, 0));
        assertEquals("255.255.255.255:65535", names.name(-1, 65_535));
        assertEquals("10.0.0.1:70000", names.name(0x0A000001, 70_000)); // not a port, still formatted
    }
}
