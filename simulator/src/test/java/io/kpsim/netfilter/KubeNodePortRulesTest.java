package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NodePort rules against kube-proxy's own {@code TestOverallIPTablesRules} golden (≥ 1.31, search
 * index id 191206484, read for /work/notes/kube-proxy-profiles.md §2.5): svc3 is a NodePort service
 * on 3003, svc4's KUBE-EXT chain shows the masquerade rule of an eTP=Cluster service.
 */
class KubeNodePortRulesTest {

    private static KubeService svc(String ns, String name, String ip, String endpoint) {
        return new KubeService(ns, name, "p80", Protocol.TCP, Ip4.parse(ip), 80, List.of(KubeEndpoint.parse(endpoint)));
    }

    @Test
    void theRulesAreKubeProxysLineForLine() {
        KubeService svc3 = svc("ns3", "svc3", "172.30.0.43", "10.180.0.3:80");
        KubeService svc4 = svc("ns4", "svc4", "172.30.0.44", "10.180.0.4:80");
        String text =
                KubeNodePortRules.restoreText(List.of(new KubeNodePort(svc4, 3004), new KubeNodePort(svc3, 3003)));
        assertEquals("""
                *nat
                :KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
                :KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
                -A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
                -A KUBE-NODEPORTS -m comment --comment ns4/svc4:p80 -m tcp -p tcp --dport 3004 -j KUBE-EXT-4SW47YFZTEDKD3PK
                -A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
                -A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
                -A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
                -A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
                COMMIT
                """, text);
    }

    @Test
    void theyLoadOverTheServiceRulesWithoutFlushingThem() {
        KubeService svc3 = svc("ns3", "svc3", "172.30.0.43", "10.180.0.3:80");
        KubeProxyConfig config = KubeProxyConfig.of(Cidr.parse("10.0.0.0/8"), true);
        Ruleset plain = KubeProxyRules.ruleset(List.of(svc3), config);
        Ruleset with = KubeProxyRules.ruleset(List.of(svc3), config, List.of(new KubeNodePort(svc3, 3003)));
        String saved = IptablesSave.render(with);
        assertTrue(
                saved.contains("-A KUBE-NODEPORTS -p tcp -m comment --comment \"ns3/svc3:p80\" -m tcp --dport 3003"
                        + " -j KUBE-EXT-X27LE4BHSL4DOUIK\n"),
                saved);
        for (String line : IptablesSave.render(plain).split("\n")) {
            if (line.startsWith("-A ")) {
                assertTrue(saved.contains(line), "kept: " + line);
            }
        }
        assertEquals(
                IptablesSave.render(plain),
                IptablesSave.render(KubeProxyRules.ruleset(List.of(svc3), config, List.of())));
        assertThrows(IllegalArgumentException.class, () -> new KubeNodePort(svc3, 0));
    }
}
