package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.BoomServerSpec;
import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.ClusterBuilder;
import io.kpsim.cluster.ConnectLoopSpec;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The narration's analyses on the e2e test's boom server, built directly with the cluster API. */
class RunObserverTest {

    private static RunReport boom(
            KernelProfile kernel, Map<String, String> sysctls, boolean dropInvalid, boolean liberal) {
        Cluster c = new ClusterBuilder(1)
                .node("node-a", "10.0.0.1", "10.244.0.0/24", kernel, sysctls, dropInvalid)
                .node("node-b", "10.0.0.2", "10.244.1.0/24", kernel, sysctls, dropInvalid)
                .pod("client", "node-a", "10.244.0.2")
                .pod("server", "node-b", "10.244.1.2")
                .service("default", "boom-server", "10.96.0.10", 9000, 9000, "server")
                .workload(BoomServerSpec.of("server"))
                .workload(new ConnectLoopSpec("client", Ip4.parse("10.96.0.10"), 9000, Durations.seconds(2), 0, 2))
                .build();
        RunObserver observer = new RunObserver();
        c.addTraceListener(observer);
        RunMetrics m = RunMetrics.of(c.run(Durations.seconds(5)));
        RunContext ctx = new RunContext("boom", "", "test", 1, kernel, liberal, dropInvalid, Durations.seconds(5));
        return observer.report(ctx, m, List.of(new ExpectationResult("resets", ">= 1", m.resets(), m.resets() >= 1)));
    }

    @Test
    void theFirstResetIsToldAsFivePackets() {
        RunReport r = boom(KernelProfile.V4_19, Map.of(), false, false);
        ResetStory story = r.story();
        assertEquals("node-a", story.clientNode());
        assertEquals("client", story.clientPod());
        assertEquals("server", story.serverPod());
        assertEquals("SEQ is under the lower bound (already ACKed data retransmitted)", story.invalidReason());
        assertEquals(
                List.of(1, 2, 3, 4, 5),
                story.steps().stream().map(StoryStep::number).toList());
        StoryStep one = story.steps().get(0);
        assertTrue(
                one.hops().get(0).contains("server: writes from a raw socket 10.244.1.2.9000 > 10.244.0.2."),
                one.hops().toString());
        assertTrue(
                one.facts().stream()
                        .anyMatch(f -> f.startsWith("client last acknowledged")
                                && f.contains("bytes before that: already-ACKed data, retransmitted")),
                one.facts().toString());
        assertTrue(
                story.steps().get(1).title().contains("pod IP 10.244.1.2 as source, not 10.96.0.10:9000"),
                story.steps().get(1).title());
        assertTrue(story.steps().get(2).facts().get(1).startsWith("client sends 10.244.0.2."), story.toString());
        assertTrue(story.steps().get(2).facts().get(1).contains("> 10.244.1.2.9000: Flags [R]"), story.toString());
        assertTrue(
                story.steps().get(3).title().contains("INVALID (\"invalid new"),
                story.steps().get(3).title()); // on 4.19 "(not logged by this kernel)" follows
        assertTrue(story.steps().get(4).hops().stream().anyMatch(h -> h.contains("ESTABLISHED -> CLOSED")));
        assertTrue(story.steps().stream().allMatch(s -> !s.hops().isEmpty()));
        long[] times = story.steps().stream().mapToLong(StoryStep::timeNanos).toArray();
        for (int i = 1; i < times.length; i++) {
            assertTrue(times[i - 1] <= times[i], "steps are in time order");
        }
        assertTrue(r.diagnosis().reset());
        assertTrue(r.diagnosis().fixes().get(2).startsWith("kernel 6.1+ (--kernel 6.18): it ignores lower-bound"));
    }

    @Test
    void withTheDropRuleTheDiagnosisNamesTheRuleAndCountsEveryForgedSegment() {
        RunReport r = boom(KernelProfile.V4_19, Map.of(), true, false);
        assertNull(r.story());
        assertFalse(r.diagnosis().reset());
        String why = r.diagnosis().reasons().get(0);
        assertTrue(why.startsWith("KUBE-FORWARD dropped 1 INVALID packet before it reached the client"), why);
        assertTrue(why.contains("-m conntrack --ctstate INVALID -j DROP"), why);
        assertTrue(why.endsWith("(the first of 2 forged segments: 2 dropped)"), why);
    }

    @Test
    void onSixEighteenTheLowerBoundFailureIsIgnoredAndNated() {
        RunReport r = boom(KernelProfile.V6_18, Map.of(), false, false);
        assertNull(r.story());
        String why = r.diagnosis().reasons().get(0);
        assertTrue(why.startsWith("kernel 6.18 ignored the forged segment from server at node-a"), why);
        assertTrue(why.contains("reverse NAT 10.244.1.2.9000 > 10.244.0.2."), why);
        assertTrue(why.contains("6.1+ ignores lower-bound failures"), why);
    }

    @Test
    void beLiberalAcceptsTheSegment() {
        RunReport r = boom(KernelProfile.V4_19, Map.of("net.netfilter.nf_conntrack_tcp_be_liberal", "1"), false, true);
        assertEquals(0, r.metrics().resets());
        String why = r.diagnosis().reasons().get(0);
        assertTrue(why.startsWith("be_liberal accepted the forged segment from server (no INVALID)"), why);
    }
}
