package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every node carries kube-proxy's rules for every service, with the INVALID drop as configured. */
class KubeProxyRulesOnNodesTest {

    private static Cluster threeEndpointCluster(boolean dropOnB) {
        return new ClusterBuilder(1)
                .node("node-a", "10.0.0.1", "10.244.0.0/24", KernelProfile.V4_19, Map.of(), false)
                .node("node-b", "10.0.0.2", "10.244.1.0/24", KernelProfile.V4_19, Map.of(), dropOnB)
                .pod("client", "node-a", "10.244.0.2")
                .pod("web-0", "node-b", "10.244.1.2")
                .pod("web-1", "node-b", "10.244.1.3")
                .pod("web-2", "node-a", "10.244.0.3")
                .service("default", "web", "10.96.0.20", 80, 8080, "web-0", "web-1", "web-2")
                .service("default", "boom-server", "10.96.0.10", 9000, 9000, "web-0")
                .build();
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void everyNodeHasTheServiceChainsWithRandomProbabilities() {
        Cluster c = threeEndpointCluster(false);
        for (Node node : c.nodes().values()) {
            String save = node.datapath().rules().save();
            assertTrue(
                    save.contains("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"),
                    save);
            assertEquals(
                    2,
                    count(save, "^-A KUBE-SERVICES -d 10\\.96\\.0\\.\\d+/32 -p tcp .* -j KUBE-SVC-[A-Z0-9]{16}$"),
                    save);
            assertEquals(
                    1,
                    count(save, "^-A KUBE-SVC-.*-m statistic --mode random --probability 0\\.33333333349 -j KUBE-SEP-"),
                    save);
            assertEquals(
                    1,
                    count(save, "^-A KUBE-SVC-.*-m statistic --mode random --probability 0\\.50000000000 -j KUBE-SEP-"),
                    save);
            assertEquals(
                    4,
                    count(
                            save,
                            "^-A KUBE-SEP-[A-Z0-9]{16} -p tcp .*-j DNAT --to-destination 10\\.244\\.\\d+\\.\\d+:\\d+$"),
                    save);
            assertEquals(
                    4,
                    count(save, "^-A KUBE-SEP-[A-Z0-9]{16} -s 10\\.244\\.\\d+\\.\\d+/32 .*-j KUBE-MARK-MASQ$"),
                    save);
            assertTrue(
                    save.contains("-A KUBE-SVC-") && save.contains("! -s 10.244.0.0/23"),
                    "the default cluster CIDR covers both pod CIDRs:\n" + save);
            assertTrue(save.contains("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000"), save);
            assertTrue(save.contains("-A KUBE-POSTROUTING"), save);
            assertTrue(
                    save.contains("-A FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD"),
                    save);
        }
    }

    @Test
    void theInvalidDropRuleIsOnlyOnNodesThatAskForIt() {
        Cluster c = threeEndpointCluster(true);
        String a = c.node("node-a").datapath().rules().save();
        String b = c.node("node-b").datapath().rules().save();
        String drop = "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP";
        assertFalse(a.contains(drop), a);
        assertTrue(b.contains(drop), b);
        List<String> forward =
                b.lines().filter(l -> l.startsWith("-A KUBE-FORWARD")).toList();
        assertEquals(drop, forward.get(0), "the drop comes before the ACCEPT rules");
    }

    @Test
    void badReferencesFailWithTheirNames() {
        ClusterBuilder b = new ClusterBuilder(1)
                .node("node-a", "10.0.0.1", "10.244.0.0/24", KernelProfile.V4_19, Map.of(), false)
                .pod("client", "node-a", "10.244.0.2")
                .service("default", "web", "10.96.0.20", 80, 8080, "nope");
        ClusterSpecException e = assertThrows(ClusterSpecException.class, b::build);
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        ClusterSpecException outside = assertThrows(
                ClusterSpecException.class,
                () -> new ClusterBuilder(1)
                        .node("node-a", "10.0.0.1", "10.244.0.0/24", KernelProfile.V4_19, Map.of(), false)
                        .pod("client", "node-a", "10.244.7.2")
                        .build());
        assertTrue(outside.getMessage().contains("client"), outside.getMessage());
    }
}
