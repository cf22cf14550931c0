package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.LinkHopsListener;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TraceListener;
import io.kpsim.cluster.TracePoint;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioException;
import io.kpsim.scenario.ScenarioLoader;
import io.kpsim.scenario.ScenarioRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The capture recorder takes what a link delivers to a node (the before-nat capture) with the
 * node's verdict, not as a LINK_DELIVER event: its captures are byte for byte those of a recorder
 * handed every event (whose links then hand each hop as events), on the blog scenario and on
 * links that lose, duplicate and hold back packets.
 */
class PcapRecorderHopsTest {

    /** A recorder behind a listener of every point: handed LINK_DELIVER events, never a hop with an arrival. */
    private record EveryPoint(PcapRecorder recorder) implements TraceListener {

        @Override
        public void onEvent(TraceEvent e) {
            recorder.onEvent(e);
        }
    }

    private static Scenario load(String name) {
        Path file = Path.of(System.getProperty("kpsim.root", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("scenarios")
                .resolve(name + ".yaml");
        try {
            return ScenarioLoader.load(file, List.of());
        } catch (ScenarioException e) {
            throw new AssertionError("library scenario " + name + " does not load: " + e.getMessage(), e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"blog-reset", "congested-4.19"})
    void theCapturesAreThoseOfARecorderHandedEveryEvent(String name, @TempDir Path dir) throws IOException {
        Scenario scenario = load(name);
        Path hops = dir.resolve("hops");
        Path events = dir.resolve("events");
        ScenarioRun.Options options = new ScenarioRun.Options(false, null, false, null);
        try (PcapRecorder withHops =
                ScenarioRun.openCaptures(scenario.spec(), new ScenarioRun.Options(false, hops, false, null))) {
            assertTrue(withHops instanceof LinkHopsListener);
            assertFalse(withHops.points().contains(TracePoint.LINK_DELIVER), "no LINK_DELIVER event is asked for");
            ScenarioRun.run(scenario, options, withHops, null, List.of());
            withHops.commit();
        }
        try (PcapRecorder withEvents =
                ScenarioRun.openCaptures(scenario.spec(), new ScenarioRun.Options(false, events, false, null))) {
            ScenarioRun.run(scenario, options, null, null, List.of(new EveryPoint(withEvents)));
            withEvents.commit();
        }
        List<String> files = ScenarioRun.captureNames(scenario.spec());
        long beforeNat = 0;
        for (String file : files) {
            byte[] a = Files.readAllBytes(hops.resolve(file));
            byte[] b = Files.readAllBytes(events.resolve(file));
            assertArrayEquals(b, a, file);
            if (file.endsWith(".before-nat.pcap")) {
                beforeNat += a.length;
            }
        }
        assertTrue(beforeNat > 24 * 2 + 1000, "the before-nat captures hold packets: " + beforeNat + " bytes");
    }
}
