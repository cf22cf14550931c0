package io.kpsim.netfilter.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.netfilter.KubeEndpoint;
import io.kpsim.netfilter.KubeNodePort;
import io.kpsim.netfilter.KubeService;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The NodePort rules {@link KubeProxyNftRules} writes load into the real kernel: each release's
 * text with a TCP NodePort Service, a UDP one and a NodePort Service without endpoints goes through
 * {@code nft -f} in a throw-away namespace, and {@code nft list ruleset} there prints exactly what
 * kpsim's {@link NftPrinter} prints for the same text. Skips (naming what is missing) without
 * root, {@code ip netns} or {@code nft}.
 */
class KubeProxyNftNodePortKernelTest {

    private static KubeService svc(String name, Protocol protocol, String ip, String... endpoints) {
        List<KubeEndpoint> eps =
                java.util.Arrays.stream(endpoints).map(KubeEndpoint::parse).toList();
        return new KubeService("demo", name, "p", protocol, Ip4.parse(ip), 80, eps);
    }

    static String text(KubeProxyNftBand band) {
        KubeService web = svc("web", Protocol.TCP, "172.30.1.4", "10.1.0.41:8080", "10.1.0.42:8080");
        KubeService dns = svc("dns", Protocol.UDP, "172.30.1.6", "10.1.0.61:53");
        KubeService empty = svc("empty", Protocol.TCP, "172.30.1.5");
        return KubeProxyNftRules.text(
                List.of(web, dns, empty),
                List.of(new KubeNodePort(web, 30004), new KubeNodePort(dns, 30006), new KubeNodePort(empty, 30005)),
                band,
                Cidr.parse("10.0.0.0/8"),
                Cidr.parse("172.30.0.0/16"),
                Ip4.parse("192.168.0.2"),
                false);
    }

    @ParameterizedTest
    @EnumSource(KubeProxyNftBand.class)
    void theKernelLoadsAndListsTheNodePortRules(KubeProxyNftBand band) throws IOException {
        String text = text(band);
        assertTrue(text.contains("no-endpoint-nodeports { tcp . 30005 "), text);
        assertTrue(text.contains("service-nodeports { udp . 30006 : goto external-"), text);
        try (ThrowawayNetns ns = ThrowawayNetns.create()) {
            assertNull(ns.load(text), "nft -f refused kpsim's " + band + " NodePort rules");
            assertEquals(ns.listRuleset(), NftPrinter.print(NftParser.parse(band + ".nft", text)));
        }
    }
}
