package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same seed gives the same run, event for event. */
class DeterminismTest {

    /** SHA-256 over every trace event's line, and how many there were. */
    private static final class Digest implements TraceListener {
        private final MessageDigest sha;
        private long events;

        Digest() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void onEvent(TraceEvent event) {
            events++;
            sha.update(event.line().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }

        String hex() {
            return events + ":" + HexFormat.of().formatHex(sha.digest());
        }
    }

    private static String congestedRun(long seed) {
        Cluster cluster = BlogClusters.tcarmet(seed, KernelProfile.V4_19, Map.of(), false, 0.001);
        Digest d = new Digest();
        cluster.addTraceListener(d);
        ClusterResults r = cluster.run(Durations.millis(300));
        assertTrue(r.links().get("node-b->node-a").heldBack() > 0, r.summary());
        return d.hex() + "\n" + r;
    }

    @Test
    void theSameSeedGivesTheSameTraceDigest() {
        String first = congestedRun(5);
        assertEquals(first, congestedRun(5));
        assertNotEquals(first, congestedRun(6));
    }

    @Test
    void tracingDoesNotChangeTheRun() {
        ClusterResults untraced = BlogClusters.tcarmet(5, KernelProfile.V4_19, Map.of(), false, 0.001)
                .run(Durations.millis(300));
        Cluster traced = BlogClusters.tcarmet(5, KernelProfile.V4_19, Map.of(), false, 0.001);
        traced.addTraceListener(e -> {});
        assertEquals(untraced, traced.run(Durations.millis(300)));
    }

    @Test
    void theBoomStoryIsIdenticalAcrossRuns() {
        Digest a = new Digest();
        Cluster first = BlogClusters.boom(9, KernelProfile.V4_19, Map.of(), false);
        first.addTraceListener(a);
        first.run(Durations.seconds(12));
        Digest b = new Digest();
        Cluster second = BlogClusters.boom(9, KernelProfile.V4_19, Map.of(), false);
        second.addTraceListener(b);
        second.run(Durations.seconds(12));
        assertEquals(a.hex(), b.hex());
    }
}
