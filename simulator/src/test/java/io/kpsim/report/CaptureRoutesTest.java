package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A capture route is found once per name, by the name's text: the same string, another string of
 * the same text, and names beyond the scanned ones all get the route their text resolves to.
 */
class CaptureRoutesTest {

    @Test
    void eachNameIsResolvedOnceAndFoundByItsText() {
        List<String> resolved = new ArrayList<>();
        CaptureRoutes routes = new CaptureRoutes(name -> {
            resolved.add(name);
            return new CaptureRoutes.Route(name.startsWith("pod") ? "" : name + ".pcap", name.length());
        });
        int names = 3 * CaptureRoutes.SCANNED;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < names; i++) {
                String name = new String((i % 5 == 0 ? "pod-" : "link-") + i); // a fresh instance each time
                CaptureRoutes.Route r = routes.of(name);
                assertEquals(i % 5 == 0 ? "" : name + ".pcap", r.file(), name);
                assertEquals(name.length(), r.capture(), name);
                assertSame(r, routes.of(name), "the same string finds the same route");
            }
        }
        assertEquals(names, resolved.size(), "every name resolved exactly once: " + resolved);
    }
}
