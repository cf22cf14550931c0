package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.KubeEndpoint;
import io.kpsim.netfilter.KubeNodePort;
import io.kpsim.netfilter.KubeService;
import io.kpsim.netfilter.Sha256;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code nft -f} text kube-proxy's nftables mode writes on its first sync for a node's
 * ClusterIP services, per {@link KubeProxyNftBand}: {@code setupNFTables} (the table, base chains
 * and their jumps, masquerading, the no-endpoint and Service verdict maps) and
 * {@code syncProxyRules} (per Service port a {@code service-} chain that marks for masquerade what
 * comes from outside the cluster CIDR and picks an endpoint with {@code numgen random mod N vmap},
 * per endpoint an {@code endpoint-} chain that marks hairpin traffic and DNATs; a port without
 * endpoints is an element of {@code no-endpoint-services} that rejects). The order is
 * kube-proxy's; Services are sorted by their {@code ServicePortName} and protocol, endpoints by
 * their {@code ip:port} string, as kube-proxy's sorted caches hand them out.
 *
 * <p>NodePorts ({@code externalTrafficPolicy: Cluster}) follow the "Capture nodeports" block of
 * {@code syncProxyRules} (read at openshift/sdn release-4.16 = kubernetes 1.29.1, line 1293, and
 * release-4.17 = 1.30.3, line 1342; the newest stored upstream proxier, kubernetes/kubernetes
 * b0f823e6, writes the same elements through its partial-sync cache): a Service port with
 * endpoints gets an {@code external-} chain ({@code jump mark-for-masquerade}, then
 * {@code goto service-}) and the element {@code service-nodeports { tcp . NODEPORT : goto external-… }};
 * one without endpoints gets {@code no-endpoint-nodeports { tcp . NODEPORT comment "ns/svc:port" :
 * goto reject-chain }}. Which addresses accept them is set up once per table: 1.29 jumps from
 * {@code services} with {@code fib daddr type local ip daddr != 127.0.0.0/8}, 1.30+ with
 * {@code ip daddr @nodeport-ips}, the node's primary IP when {@code --nodeport-addresses} is empty.
 *
 * <p>Chain names follow {@code servicePortChainNameBase}/{@code servicePortEndpointChainNameBase}
 * and {@code hashAndTruncate}: {@code ns/name/proto/port} (with {@code __ip/port} for an
 * endpoint) behind the first 8 base32 characters of its SHA-256. Checked line for line against
 * kube-proxy's rulesets for 1.29, 1.30 and 1.34 (the test resources {@code kube-proxy-n29.nft},
 * {@code -n30}, {@code -n34}).
 *
 * @see KubeProxyNftBand
 */
public final class KubeProxyNftRules {

    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String MARK = "0x00004000";

    private KubeProxyNftRules() {}

    /**
     * The ruleset text.
     *
     * @param services the node's Service ports with their ready endpoints
     * @param band which kube-proxy release's shape
     * @param clusterCidr {@code --cluster-cidr} (sources outside it are masqueraded)
     * @param serviceCidr the Service CIDR for 1.34's unallocated-ClusterIP drop
     * @param nodeIp the node's primary IP ({@code nodeport-ips} in 1.30+)
     * @param beLiberalAtStart {@code nf_conntrack_tcp_be_liberal} when kube-proxy started (1.29 leaves
     *     its {@code ct state invalid drop} out when set)
     */
    public static String text(
            List<KubeService> services,
            KubeProxyNftBand band,
            Cidr clusterCidr,
            Cidr serviceCidr,
            int nodeIp,
            boolean beLiberalAtStart) {
        return text(services, List.of(), band, clusterCidr, serviceCidr, nodeIp, beLiberalAtStart);
    }

    /**
     * The ruleset text with NodePorts.
     *
     * @param services the node's Service ports with their ready endpoints
     * @param nodePorts the NodePorts of some of {@code services} ({@code externalTrafficPolicy: Cluster})
     * @param band which kube-proxy release's shape
     * @param clusterCidr {@code --cluster-cidr} (sources outside it are masqueraded)
     * @param serviceCidr the Service CIDR for 1.34's unallocated-ClusterIP drop
     * @param nodeIp the node's primary IP ({@code nodeport-ips} in 1.30+)
     * @param beLiberalAtStart {@code nf_conntrack_tcp_be_liberal} when kube-proxy started
     * @throws IllegalArgumentException when a NodePort's service is not one of {@code services}
     */
    public static String text(
            List<KubeService> services,
            List<KubeNodePort> nodePorts,
            KubeProxyNftBand band,
            Cidr clusterCidr,
            Cidr serviceCidr,
            int nodeIp,
            boolean beLiberalAtStart) {
        Map<KubeService, Integer> nodePortOf = new HashMap<>();
        for (KubeNodePort n : nodePorts) {
            if (!services.contains(n.service())) {
                throw new IllegalArgumentException("NodePort " + n.nodePort() + " belongs to "
                        + n.service().servicePortName() + ", which is not among the node's services");
            }
            nodePortOf.put(n.service(), n.nodePort());
        }
        StringBuilder s = new StringBuilder();
        setup(s, band, serviceCidr, nodeIp, beLiberalAtStart);
        List<KubeService> sorted = new ArrayList<>(services);
        sorted.sort(Comparator.comparing((KubeService k) -> k.servicePortName()).thenComparing(k -> proto(k)));
        for (KubeService svc : sorted) {
            service(s, svc, nodePortOf.getOrDefault(svc, 0), band, clusterCidr);
        }
        return s.toString();
    }

    private static void setup(StringBuilder s, KubeProxyNftBand band, Cidr serviceCidr, int nodeIp, boolean beLiberal) {
        s.append("add table ip kube-proxy { comment \"rules for kube-proxy\" ; }\n");
        switch (band) {
            case N29 -> {
                base(s, "filter-input", "filter", "input", -101);
                base(s, "filter-forward", "filter", "forward", -101);
                base(s, "filter-output", "filter", "output", -101);
            }
            case N30 -> {
                base(s, "filter-prerouting", "filter", "prerouting", -110);
                base(s, "filter-input", "filter", "input", -110);
                base(s, "filter-forward", "filter", "forward", -110);
                base(s, "filter-output", "filter", "output", -110);
                base(s, "filter-output-post-dnat", "filter", "output", -90);
            }
            case N34 -> {
                base(s, "filter-prerouting-pre-dnat", "filter", "prerouting", -110);
                base(s, "filter-output-pre-dnat", "filter", "output", -110);
                base(s, "filter-forward", "filter", "forward", 0);
                base(s, "filter-input", "filter", "input", 0);
                base(s, "filter-output", "filter", "output", 0);
            }
        }
        base(s, "nat-prerouting", "nat", "prerouting", -100);
        base(s, "nat-output", "nat", "output", -100);
        base(s, "nat-postrouting", "nat", "postrouting", 100);
        if (band == KubeProxyNftBand.N29) {
            chain(s, "endpoints-check");
            rule(s, "filter-input", "ct state new jump endpoints-check");
            rule(s, "filter-forward", "ct state new jump endpoints-check");
            rule(s, "filter-output", "ct state new jump endpoints-check");
            chain(s, "forward");
            rule(s, "filter-forward", "jump forward");
            chain(s, "firewall-check");
            rule(s, "filter-input", "ct state new jump firewall-check");
            rule(s, "filter-output", "ct state new jump firewall-check");
            rule(s, "filter-forward", "ct state new jump firewall-check");
        } else {
            chain(s, "nodeport-endpoints-check");
            rule(s, "filter-input", "ct state new jump nodeport-endpoints-check");
            chain(s, "service-endpoints-check");
            rule(s, "filter-input", "ct state new jump service-endpoints-check");
            rule(s, "filter-forward", "ct state new jump service-endpoints-check");
            rule(s, "filter-output", "ct state new jump service-endpoints-check");
            chain(s, "firewall-check");
            if (band == KubeProxyNftBand.N30) {
                rule(s, "filter-prerouting", "ct state new jump firewall-check");
                rule(s, "filter-output", "ct state new jump firewall-check");
            } else {
                rule(s, "filter-prerouting-pre-dnat", "ct state new jump firewall-check");
                rule(s, "filter-output-pre-dnat", "ct state new jump firewall-check");
            }
        }
        chain(s, "services");
        rule(s, "nat-output", "jump services");
        rule(s, "nat-prerouting", "jump services");
        chain(s, "masquerading");
        rule(s, "nat-postrouting", "jump masquerading");
        if (band != KubeProxyNftBand.N29) {
            chain(s, "cluster-ips-check");
            rule(s, "filter-forward", "ct state new jump cluster-ips-check");
            rule(
                    s,
                    band == KubeProxyNftBand.N30 ? "filter-output-post-dnat" : "filter-output",
                    "ct state new jump cluster-ips-check");
        }
        chain(s, "mark-for-masquerade");
        rule(s, "mark-for-masquerade", "mark set mark or " + MARK);
        rule(s, "masquerading", "mark and " + MARK + " == 0 return");
        rule(s, "masquerading", "mark set mark xor " + MARK);
        rule(s, "masquerading", "masquerade fully-random");
        if (band == KubeProxyNftBand.N29) {
            if (!beLiberal) {
                rule(s, "forward", "ct state invalid drop");
            }
            s.append("add set ip kube-proxy nodeport-ips { type ipv4_addr ; comment \"IPs that accept NodePort"
                    + " traffic\" ; }\ndelete set ip kube-proxy nodeport-ips\n");
        } else {
            s.append("add set ip kube-proxy cluster-ips { type ipv4_addr ; comment \"Active ClusterIPs\" ; }\n");
            rule(
                    s,
                    "cluster-ips-check",
                    "ip daddr @cluster-ips reject comment \"Reject traffic to invalid ports of" + " ClusterIPs\"");
            if (band == KubeProxyNftBand.N34) {
                rule(
                        s,
                        "cluster-ips-check",
                        "ip daddr { " + serviceCidr + " } drop comment \"Drop traffic to"
                                + " unallocated ClusterIPs\"");
            }
            s.append("add set ip kube-proxy nodeport-ips { type ipv4_addr ; comment \"IPs that accept NodePort"
                    + " traffic\" ; }\n");
            s.append("add element ip kube-proxy nodeport-ips { ")
                    .append(Ip4.format(nodeIp))
                    .append(" }\n");
        }
        s.append("add map ip kube-proxy no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict"
                + " ; comment \"vmap to drop or reject packets to services with no endpoints\" ; }\n");
        s.append("add map ip kube-proxy no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment"
                + " \"vmap to drop or reject packets to service nodeports with no endpoints\" ; }\n");
        s.append("add chain ip kube-proxy reject-chain { comment \"helper for @no-endpoint-services /"
                + " @no-endpoint-nodeports\" ; }\n");
        rule(s, "reject-chain", "reject");
        if (band == KubeProxyNftBand.N29) {
            rule(s, "endpoints-check", "ip daddr . meta l4proto . th dport vmap @no-endpoint-services");
            rule(
                    s,
                    "endpoints-check",
                    "fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap"
                            + " @no-endpoint-nodeports");
            s.append("add set ip kube-proxy firewall { type ipv4_addr . inet_proto . inet_service ; comment"
                    + " \"destinations that are subject to LoadBalancerSourceRanges\" ; }\n");
            s.append("add set ip kube-proxy firewall-allow { type ipv4_addr . inet_proto . inet_service . ipv4_addr ;"
                    + " flags interval ; comment \"destinations+sources that are allowed by"
                    + " LoadBalancerSourceRanges\" ; }\n");
            chain(s, "firewall-allow-check");
            rule(s, "firewall-check", "ip daddr . meta l4proto . th dport @firewall jump firewall-allow-check");
            rule(s, "firewall-allow-check", "ip daddr . meta l4proto . th dport . ip saddr @firewall-allow return");
            rule(s, "firewall-allow-check", "drop");
        } else {
            rule(s, "service-endpoints-check", "ip daddr . meta l4proto . th dport vmap @no-endpoint-services");
            rule(
                    s,
                    "nodeport-endpoints-check",
                    "ip daddr @nodeport-ips meta l4proto . th dport vmap" + " @no-endpoint-nodeports");
            s.append("add map ip kube-proxy firewall-ips { type ipv4_addr . inet_proto . inet_service : verdict ;"
                    + " comment \"destinations that are subject to LoadBalancerSourceRanges\" ; }\n");
            rule(s, "firewall-check", "ip daddr . meta l4proto . th dport vmap @firewall-ips");
        }
        s.append("add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ;"
                + " comment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\" ; }\n");
        s.append("add map ip kube-proxy service-nodeports { type inet_proto . inet_service : verdict ; comment"
                + " \"NodePort traffic\" ; }\n");
        rule(s, "services", "ip daddr . meta l4proto . th dport vmap @service-ips");
        rule(
                s,
                "services",
                band == KubeProxyNftBand.N29
                        ? "fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports"
                        : "ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports");
    }

    private static void service(
            StringBuilder s, KubeService svc, int nodePort, KubeProxyNftBand band, Cidr clusterCidr) {
        String proto = proto(svc);
        String base = svc.namespace() + "/" + svc.name() + "/" + proto + "/" + svc.portName();
        String hash = hash8(base);
        String chain = "service-" + hash + "-" + base;
        String external = "external-" + hash + "-" + base;
        if (svc.hasNoEndpoints()) {
            noEndpoints(s, svc, nodePort, band, proto);
            return;
        }
        List<KubeEndpoint> eps = new ArrayList<>(svc.endpoints());
        eps.sort(Comparator.comparing(e -> Ip4.format(e.ip(), e.port())));
        List<String> epChains = new ArrayList<>();
        for (KubeEndpoint e : eps) {
            String epBase = base + "__" + Ip4.format(e.ip()) + "/" + e.port();
            String name = "endpoint-" + hash8(epBase) + "-" + epBase;
            epChains.add(name);
            chain(s, name);
        }
        chain(s, chain);
        if (nodePort != 0) {
            chain(s, external);
        }
        String cip = Ip4.format(svc.clusterIp());
        if (band != KubeProxyNftBand.N29) {
            s.append("add element ip kube-proxy cluster-ips { ").append(cip).append(" }\n");
        }
        s.append("add element ip kube-proxy service-ips { ")
                .append(cip)
                .append(" . ")
                .append(proto)
                .append(" . ")
                .append(svc.port())
                .append(" : goto ")
                .append(chain)
                .append(" }\n");
        if (nodePort != 0) {
            s.append("add element ip kube-proxy service-nodeports { ")
                    .append(proto)
                    .append(" . ")
                    .append(nodePort)
                    .append(" : goto ")
                    .append(external)
                    .append(" }\n");
        }
        String dport = band == KubeProxyNftBand.N34 ? "" : " " + proto + " dport " + svc.port();
        rule(s, chain, "ip daddr " + cip + dport + " ip saddr != " + clusterCidr + " jump mark-for-masquerade");
        if (nodePort != 0) {
            // externalTrafficPolicy: Cluster: every external packet is masqueraded, then load-balanced as the ClusterIP
            rule(s, external, "jump mark-for-masquerade");
            rule(s, external, "goto " + chain);
        }
        StringBuilder vmap = new StringBuilder();
        for (int i = 0; i < epChains.size(); i++) {
            vmap.append(i == 0 ? "" : " , ").append(i).append(" : goto ").append(epChains.get(i));
        }
        rule(s, chain, "numgen random mod " + epChains.size() + " vmap { " + vmap + " }");
        for (int i = 0; i < eps.size(); i++) {
            KubeEndpoint e = eps.get(i);
            rule(s, epChains.get(i), "ip saddr " + Ip4.format(e.ip()) + " jump mark-for-masquerade");
            rule(s, epChains.get(i), "meta l4proto " + proto + " dnat to " + Ip4.format(e.ip(), e.port()));
        }
    }

    /**
     * A Service port without endpoints: its ClusterIP, port and protocol in the
     * {@code no-endpoint-services} verdict map with {@code goto reject-chain}, which
     * {@code filter-input/forward/output} consult for new connections (ICMP port unreachable), and no
     * chain of its own; 1.30+ also list the ClusterIP in {@code cluster-ips}. Its NodePort, if any, is
     * an element of {@code no-endpoint-nodeports} with the same verdict, consulted from
     * {@code filter-input} (1.29: {@code endpoints-check}; 1.30+: {@code nodeport-endpoints-check}).
     */
    private static void noEndpoints(
            StringBuilder s, KubeService svc, int nodePort, KubeProxyNftBand band, String proto) {
        String cip = Ip4.format(svc.clusterIp());
        if (band != KubeProxyNftBand.N29) {
            s.append("add element ip kube-proxy cluster-ips { ").append(cip).append(" }\n");
        }
        s.append("add element ip kube-proxy no-endpoint-services { ")
                .append(cip)
                .append(" . ")
                .append(proto)
                .append(" . ")
                .append(svc.port())
                .append(" comment \"")
                .append(svc.servicePortName())
                .append("\" : goto reject-chain }\n");
        if (nodePort != 0) {
            s.append("add element ip kube-proxy no-endpoint-nodeports { ")
                    .append(proto)
                    .append(" . ")
                    .append(nodePort)
                    .append(" comment \"")
                    .append(svc.servicePortName())
                    .append("\" : goto reject-chain }\n");
        }
    }

    private static String proto(KubeService svc) {
        return svc.protocol() == Protocol.TCP ? "tcp" : "udp";
    }

    private static void base(StringBuilder s, String name, String type, String hook, int priority) {
        s.append("add chain ip kube-proxy ")
                .append(name)
                .append(" { type ")
                .append(type)
                .append(" hook ")
                .append(hook)
                .append(" priority ")
                .append(priority)
                .append(" ; }\n");
    }

    private static void chain(StringBuilder s, String name) {
        s.append("add chain ip kube-proxy ").append(name).append('\n');
    }

    private static void rule(StringBuilder s, String chain, String rule) {
        s.append("add rule ip kube-proxy ")
                .append(chain)
                .append(' ')
                .append(rule)
                .append('\n');
    }

    /** {@code hashAndTruncate}'s prefix: the first 8 base32 characters of the SHA-256 of {@code text}. */
    static String hash8(String text) {
        byte[] digest = Sha256.digest(text.getBytes(StandardCharsets.UTF_8));
        long bits40 = 0;
        for (int i = 0; i < 5; i++) {
            bits40 = (bits40 << 8) | (digest[i] & 0xff);
        }
        StringBuilder out = new StringBuilder(8);
        for (int i = 7; i >= 0; i--) {
            out.append(BASE32.charAt((int) (bits40 >>> (5 * i)) & 31));
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }
}
