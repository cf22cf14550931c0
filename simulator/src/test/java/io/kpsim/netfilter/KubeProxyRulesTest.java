package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kube-proxy's rules against the verbatim dumps of kube-proxy.md §2.4 (restore form) and §2.6 (save form). */
class KubeProxyRulesTest {

    /** TestInternalTrafficPolicyE2E's clusterExpectedIPTables, verbatim (kube-proxy.md §2.4). */
    static final String SECTION_2_4 = """
            *filter
            :KUBE-NODEPORTS - [0:0]
            :KUBE-SERVICES - [0:0]
            :KUBE-EXTERNAL-SERVICES - [0:0]
            :KUBE-FIREWALL - [0:0]
            :KUBE-FORWARD - [0:0]
            :KUBE-PROXY-FIREWALL - [0:0]
            -A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
            -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
            -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
            -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            COMMIT
            *nat
            :KUBE-NODEPORTS - [0:0]
            :KUBE-SERVICES - [0:0]
            :KUBE-MARK-MASQ - [0:0]
            :KUBE-POSTROUTING - [0:0]
            :KUBE-SEP-3JOIVZTXZZRGORX4 - [0:0]
            :KUBE-SEP-IO5XOSKPAXIFQXAJ - [0:0]
            :KUBE-SEP-XGJFVO3L2O5SRFNT - [0:0]
            :KUBE-SVC-AQI2S6QIMU7PVVRP - [0:0]
            -A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j KUBE-SVC-AQI2S6QIMU7PVVRP
            -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
            -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
            -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
            -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
            -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
            -A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -s 10.0.1.1 -j KUBE-MARK-MASQ
            -A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80
            -A KUBE-SEP-IO5XOSKPAXIFQXAJ -m comment --comment ns1/svc1 -s 10.0.1.2 -j KUBE-MARK-MASQ
            -A KUBE-SEP-IO5XOSKPAXIFQXAJ -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.2:80
            -A KUBE-SEP-XGJFVO3L2O5SRFNT -m comment --comment ns1/svc1 -s 10.0.1.3 -j KUBE-MARK-MASQ
            -A KUBE-SEP-XGJFVO3L2O5SRFNT -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.3:80
            -A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
            -A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-3JOIVZTXZZRGORX4
            -A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-IO5XOSKPAXIFQXAJ
            -A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.3:80" -j KUBE-SEP-XGJFVO3L2O5SRFNT
            COMMIT
            """;

    /** The synthesized real-kernel rendering of default/web (kube-proxy.md §2.6), verbatim. */
    static final String SECTION_2_6 = """
            -A KUBE-SERVICES -d 10.96.45.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
            -A KUBE-SVC-CDGGSHYLG3RE2FKL ! -s 10.244.0.0/16 -d 10.96.45.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
            -A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.3:8080" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-2AZ33KU3V5PGPQZH
            -A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.4:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-SS2T4ADR43IYLGAO
            -A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.3.5:8080" -j KUBE-SEP-HQQLGVWC5OFWA4VC
            -A KUBE-SEP-2AZ33KU3V5PGPQZH -s 10.244.1.3/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
            -A KUBE-SEP-2AZ33KU3V5PGPQZH -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.1.3:8080
            """;

    static KubeService ns1svc1() {
        return new KubeService(
                "ns1",
                "svc1",
                "",
                Protocol.TCP,
                Ip4.parse("172.30.1.1"),
                80,
                List.of(
                        KubeEndpoint.parse("10.0.1.1:80"),
                        KubeEndpoint.parse("10.0.1.2:80"),
                        KubeEndpoint.parse("10.0.1.3:80")));
    }

    static KubeService defaultWeb() {
        return new KubeService(
                "default",
                "web",
                "http",
                Protocol.TCP,
                Ip4.parse("10.96.45.10"),
                80,
                List.of(
                        KubeEndpoint.parse("10.244.1.3:8080"),
                        KubeEndpoint.parse("10.244.2.4:8080"),
                        KubeEndpoint.parse("10.244.3.5:8080")));
    }

    @Test
    void restoreTextIsKubeProxysVerbatim() {
        KubeProxyConfig config = new KubeProxyConfig(Cidr.parse("10.0.0.0/8"), true, false, 14);
        assertEquals(SECTION_2_4, KubeProxyRules.restoreText(List.of(ns1svc1()), config));
    }

    @Test
    void withoutDropInvalidKubeForwardStartsWithTheAcceptRules() {
        KubeProxyConfig config = new KubeProxyConfig(Cidr.parse("10.0.0.0/8"), false, false, 14);
        String text = KubeProxyRules.restoreText(List.of(ns1svc1()), config);
        assertFalse(text.contains("--ctstate INVALID"));
        Chain forward = KubeProxyRules.ruleset(List.of(ns1svc1()), config)
                .table(Table.FILTER)
                .chain("KUBE-FORWARD");
        assertEquals(2, forward.rules().size());
        assertEquals(
                "-m comment --comment \"kubernetes forwarding rules\" -m mark --mark 0x4000/0x4000 -j ACCEPT",
                forward.rules().get(0).saveText());
    }

    @Test
    void kernelSaveFormMatchesTheRealDumpLayout() {
        KubeProxyConfig config = KubeProxyConfig.of(Cidr.parse("10.244.0.0/16"), true);
        String save = KubeProxyRules.ruleset(List.of(defaultWeb()), config).save();
        for (String line : SECTION_2_6.strip().split("\n")) {
            assertTrue(save.contains(line + "\n"), () -> "missing: " + line + "\nin:\n" + save);
        }
        assertTrue(save.contains("-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n"));
        assertTrue(save.contains("-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0\n"));
        assertTrue(
                save.contains("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\""
                        + " -j MASQUERADE --random-fully\n"));
        assertTrue(save.contains("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n"));
    }

    @Test
    void baseJumpsAreInPrependOrder() {
        Ruleset rules =
                KubeProxyRules.ruleset(List.of(defaultWeb()), KubeProxyConfig.of(Cidr.parse("10.244.0.0/16"), true));
        List<String> forward = rules.table(Table.FILTER).chain("FORWARD").rules().stream()
                .map(r -> ((JumpTarget) r.target()).chain())
                .toList();
        assertEquals(
                List.of("KUBE-PROXY-FIREWALL", "KUBE-FORWARD", "KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES"), forward);
        List<String> input = rules.table(Table.FILTER).chain("INPUT").rules().stream()
                .map(r -> ((JumpTarget) r.target()).chain())
                .toList();
        // 1.27+ ensures kubelet's jumps itself, after its own (iptablesKubeletJumpChains), so they end up first
        assertEquals(
                List.of("KUBE-FIREWALL", "KUBE-PROXY-FIREWALL", "KUBE-NODEPORTS", "KUBE-EXTERNAL-SERVICES"), input);
        assertEquals(
                "-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                rules.table(Table.NAT).chain("PREROUTING").rules().get(0).saveText());
        Chain services = rules.table(Table.NAT).chain("KUBE-SERVICES");
        assertEquals(
                new JumpTarget("KUBE-NODEPORTS", false),
                services.rules().get(services.rules().size() - 1).target());
    }

    @Test
    void saveTextParsesBackToTheSameRules() {
        Ruleset rules = KubeProxyRules.ruleset(
                List.of(defaultWeb(), ns1svc1()), KubeProxyConfig.of(Cidr.parse("10.0.0.0/8"), true));
        String save = rules.save();
        Ruleset reparsed = IptablesRestore.parse(save);
        assertEquals(rules, reparsed);
        assertEquals(save, reparsed.save());
    }

    @Test
    void restoreFormAndSaveFormDescribeTheSameRules() {
        KubeProxyConfig config = new KubeProxyConfig(Cidr.parse("10.0.0.0/8"), true, false, 14);
        Ruleset fromRestore = IptablesRestore.parse(SECTION_2_4);
        Ruleset fromSave = IptablesRestore.parse(fromRestore.save());
        assertEquals(fromRestore, fromSave);
        assertEquals(IptablesRestore.parse(KubeProxyRules.restoreText(List.of(ns1svc1()), config)), fromRestore);
    }
}
