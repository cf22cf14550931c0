package io.kpsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link CaptureCensus#servicesUsed}: every service some packet was addressed to, once, whatever
 * the order of the packets and however many services there are (more than the census recognises
 * without its set, too), and none that no packet used.
 */
class CaptureCensusServicesTest {

    private static ServiceMapping service(int i) {
        return new ServiceMapping(0x0a60_0000 + i, 80 + i, List.of(new ServiceMapping.Endpoint(0x0af4_0000 + i, 8080)));
    }

    @Test
    void everyServiceUsedIsListedOnceInAnyOrderAndNoOther() {
        for (int count : new int[] {1, 4, 8, 9, 20}) {
            List<ServiceMapping> services = new ArrayList<>();
            for (int i = 0; i < count + 3; i++) {
                services.add(service(i));
            }
            CaptureCensus census = new CaptureCensus("f.pcap");
            Set<String> expected = new TreeSet<>();
            SplittableRandom random = new SplittableRandom(count);
            for (int n = 0; n < 500; n++) {
                ServiceMapping s = services.get(random.nextInt(count)); // the last three are never used
                census.serviceUsed(s);
                expected.add(io.kpsim.packet.Ip4.format(s.vip(), s.port()));
            }
            assertEquals(expected, census.servicesUsed(), count + " services");
            assertEquals(count, census.servicesUsed().size());
        }
    }
}
