package io.kpsim.oracle;

import io.kpsim.packet.Ip4;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes random kube-proxy-style nftables rulesets for the nftables oracle, in the {@code nft -f}
 * form kube-proxy's nftables proxier (1.29 … 1.34, {@code pkg/proxy/nftables/proxier.go}
 * {@code syncProxyRules}) hands to {@code knftables}: the {@code kube-proxy} table with its
 * {@code service-ips}/{@code service-nodeports} verdict maps, {@code numgen random mod N vmap}
 * endpoint choice, {@code mark-for-masquerade} and {@code masquerading}, the no-endpoint verdict
 * maps that {@code goto reject-chain} or {@code drop}, {@code cluster-ips-check}; with, at random,
 * a policy-drop forward chain, a second table (a CNI's or a host firewall's) hooked at priorities
 * next to kube-proxy's, and another table DNATing extra Service addresses at {@code dstnat - 5}.
 *
 * <p>Every base chain the oracle's sentinel crosses (prerouting, forward, postrouting) starts with
 * {@code ip daddr 198.18.0.2 accept}, so that the sentinel behind each probe reaches the server
 * side whatever the rest of the ruleset does; the model evaluates the same text.
 */
final class NftRulesetGenerator {

    /** One Service port of a generated ruleset. */
    record Service(
            int clusterIp,
            String protocol,
            int port,
            List<Integer> endpoints,
            int targetPort,
            int nodePort,
            int externalIp) {}

    /** A generated ruleset: its text and what the probes aim at. */
    record Generated(String text, List<Service> services, List<Integer> extraVips) {}

    private static final String SENTINEL_PASS =
            "ip daddr " + Ip4.format(NftOraclePlan.SENTINEL_DESTINATION) + " accept";
    private static final String[] REJECTS = {
        "reject",
        "reject with icmp type host-unreachable",
        "reject with icmp type port-unreachable",
        "reject with icmp type admin-prohibited",
        "reject with icmp type net-unreachable",
        "reject with tcp reset",
        "reject with tcp reset",
    };

    private final SplittableRandom random;
    private final NftOraclePlan plan;

    NftRulesetGenerator(long seed, NftOraclePlan plan) {
        this.random = new SplittableRandom(seed);
        this.plan = plan;
    }

    /** The next random ruleset. */
    Generated next() {
        List<Service> services = services();
        StringBuilder s = new StringBuilder();
        String reject = REJECTS[random.nextInt(REJECTS.length)];
        kubeProxy(s, services, reject);
        List<Integer> extraVips = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            extraVips = extraDnat(s);
        }
        if (random.nextBoolean()) {
            secondTable(s);
        }
        return new Generated(s.toString(), services, extraVips);
    }

    private List<Service> services() {
        int n = 1 + random.nextInt(5);
        List<Integer> pods = new ArrayList<>(NftOraclePlan.pods());
        List<Service> out = new ArrayList<>();
        boolean nodePorts = random.nextBoolean();
        boolean externalIps = random.nextBoolean();
        for (int i = 0; i < n; i++) {
            String protocol = random.nextInt(4) == 0 ? "udp" : "tcp";
            int port = new int[] {80, 443, 53, 8080}[random.nextInt(4)];
            int count = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(3);
            List<Integer> eps = new ArrayList<>();
            for (int e = 0; e < count; e++) {
                eps.add(pods.remove(random.nextInt(pods.size())));
            }
            int targetPort = random.nextBoolean() ? port : 8080 + random.nextInt(3);
            int nodePort = nodePorts && random.nextBoolean() ? 30000 + i : 0;
            int externalIp = externalIps && random.nextBoolean()
                    ? NftOraclePlan.externalIps().get(i)
                    : 0;
            out.add(new Service(
                    NftOraclePlan.clusterIps().get(i), protocol, port, eps, targetPort, nodePort, externalIp));
        }
        return out;
    }

    private void kubeProxy(StringBuilder s, List<Service> services, String reject) {
        String t = "add rule ip kube-proxy ";
        String filterPriority = random.nextBoolean() ? "0" : "-110";
        boolean forwardDrop = random.nextInt(4) == 0;
        s.append("add table ip kube-proxy { comment \"rules for kube-proxy\" ; }\n");
        s.append("add chain ip kube-proxy filter-forward { type filter hook forward priority ")
                .append(filterPriority)
                .append(" ; policy ")
                .append(forwardDrop ? "drop" : "accept")
                .append(" ; }\n");
        s.append("add chain ip kube-proxy filter-input { type filter hook input priority ")
                .append(filterPriority)
                .append(" ; }\n");
        s.append("add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority dstnat ; }\n");
        s.append("add chain ip kube-proxy nat-postrouting { type nat hook postrouting priority srcnat ; }\n");
        s.append(t).append("filter-forward ").append(SENTINEL_PASS).append('\n');
        s.append(t).append("nat-prerouting ").append(SENTINEL_PASS).append('\n');
        s.append(t).append("nat-postrouting ").append(SENTINEL_PASS).append('\n');
        for (String c : List.of(
                "nodeport-endpoints-check",
                "service-endpoints-check",
                "cluster-ips-check",
                "services",
                "masquerading",
                "mark-for-masquerade",
                "reject-chain")) {
            s.append("add chain ip kube-proxy ").append(c).append('\n');
        }
        s.append(t).append("filter-input ct state new jump nodeport-endpoints-check\n");
        s.append(t).append("filter-input ct state new jump service-endpoints-check\n");
        s.append(t).append("filter-forward ct state new jump service-endpoints-check\n");
        boolean clusterIpsCheck = random.nextBoolean();
        if (clusterIpsCheck) {
            s.append(t).append("filter-forward ct state new jump cluster-ips-check\n");
        }
        if (forwardDrop) {
            s.append(t).append("filter-forward ct state established,related accept\n");
            s.append(t).append("filter-forward ip daddr 10.244.0.0/16 counter accept\n");
            if (random.nextBoolean()) {
                s.append(t)
                        .append("filter-forward oifname \"")
                        .append(plan.serverDevice())
                        .append("\" accept\n");
            }
        }
        s.append(t).append("nat-prerouting jump services\n");
        s.append(t).append("nat-postrouting jump masquerading\n");
        s.append(t).append("mark-for-masquerade mark set mark or 0x00004000\n");
        s.append(t).append("masquerading mark and 0x00004000 == 0 return\n");
        s.append(t).append("masquerading mark set mark xor 0x00004000\n");
        s.append(t)
                .append("masquerading masquerade")
                .append(random.nextBoolean() ? " fully-random" : "")
                .append('\n');
        s.append("add set ip kube-proxy cluster-ips { type ipv4_addr ; comment \"Active ClusterIPs\" ; }\n");
        s.append(t)
                .append("cluster-ips-check ip daddr @cluster-ips ")
                .append(reject)
                .append(" comment \"Reject traffic to invalid ports of ClusterIPs\"\n");
        s.append(t)
                .append("cluster-ips-check ip daddr { ")
                .append(NftOraclePlan.SERVICE_CIDR)
                .append(" } drop comment \"Drop traffic to unallocated ClusterIPs\"\n");
        s.append("add set ip kube-proxy nodeport-ips { type ipv4_addr ; }\n");
        s.append("add element ip kube-proxy nodeport-ips { ")
                .append(Ip4.format(NftOraclePlan.NODE_IP))
                .append(" }\n");
        s.append(
                "add map ip kube-proxy no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; }\n");
        s.append("add map ip kube-proxy no-endpoint-nodeports { type inet_proto . inet_service : verdict ; }\n");
        s.append(t).append("reject-chain ").append(reject).append('\n');
        s.append(t).append("service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services\n");
        s.append(t)
                .append("nodeport-endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap"
                        + " @no-endpoint-nodeports\n");
        s.append("add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; }\n");
        s.append("add map ip kube-proxy service-nodeports { type inet_proto . inet_service : verdict ; }\n");
        s.append(t).append("services ip daddr . meta l4proto . th dport vmap @service-ips\n");
        s.append(t)
                .append("services ")
                .append(random.nextBoolean() ? "ip daddr @nodeport-ips" : "fib daddr type local")
                .append(" meta l4proto . th dport vmap @service-nodeports\n");
        String noEndpoints = random.nextInt(3) == 0 ? "drop" : "goto reject-chain";
        for (int i = 0; i < services.size(); i++) {
            service(s, i, services.get(i), noEndpoints);
        }
    }

    private void service(StringBuilder s, int index, Service svc, String noEndpoints) {
        String t = "add rule ip kube-proxy ";
        String key = svc.protocol() + " . " + svc.port();
        String cip = Ip4.format(svc.clusterIp());
        s.append("add element ip kube-proxy cluster-ips { ").append(cip).append(" }\n");
        if (svc.endpoints().isEmpty()) {
            s.append("add element ip kube-proxy no-endpoint-services { ")
                    .append(cip)
                    .append(" . ")
                    .append(key)
                    .append(" : ")
                    .append(noEndpoints)
                    .append(" }\n");
            if (svc.externalIp() != 0) {
                s.append("add element ip kube-proxy no-endpoint-services { ")
                        .append(Ip4.format(svc.externalIp()))
                        .append(" . ")
                        .append(key)
                        .append(" : ")
                        .append(noEndpoints)
                        .append(" }\n");
            }
            if (svc.nodePort() != 0) {
                s.append("add element ip kube-proxy no-endpoint-nodeports { ")
                        .append(svc.protocol())
                        .append(" . ")
                        .append(svc.nodePort())
                        .append(" : ")
                        .append(noEndpoints)
                        .append(" }\n");
            }
            return;
        }
        String chain = "service-S" + index;
        String external = "external-S" + index;
        s.append("add chain ip kube-proxy ").append(chain).append('\n');
        s.append("add element ip kube-proxy service-ips { ")
                .append(cip)
                .append(" . ")
                .append(key)
                .append(" : goto ")
                .append(chain)
                .append(" }\n");
        boolean hasExternal = svc.externalIp() != 0 || svc.nodePort() != 0;
        if (hasExternal) {
            s.append("add chain ip kube-proxy ").append(external).append('\n');
            s.append(t).append(external).append(" jump mark-for-masquerade\n");
            s.append(t).append(external).append(" goto ").append(chain).append('\n');
        }
        if (svc.externalIp() != 0) {
            s.append("add element ip kube-proxy service-ips { ")
                    .append(Ip4.format(svc.externalIp()))
                    .append(" . ")
                    .append(key)
                    .append(" : goto ")
                    .append(external)
                    .append(" }\n");
        }
        if (svc.nodePort() != 0) {
            s.append("add element ip kube-proxy service-nodeports { ")
                    .append(svc.protocol())
                    .append(" . ")
                    .append(svc.nodePort())
                    .append(" : goto ")
                    .append(external)
                    .append(" }\n");
        }
        s.append(t)
                .append(chain)
                .append(" ip daddr ")
                .append(cip)
                .append(' ')
                .append(svc.protocol())
                .append(" dport ")
                .append(svc.port())
                .append(" ip saddr != ")
                .append(NftOraclePlan.CLUSTER_CIDR)
                .append(" jump mark-for-masquerade\n");
        StringBuilder vmap = new StringBuilder();
        for (int e = 0; e < svc.endpoints().size(); e++) {
            String ep = "endpoint-S" + index + "E" + e;
            String ip = Ip4.format(svc.endpoints().get(e));
            s.append("add chain ip kube-proxy ").append(ep).append('\n');
            s.append(t).append(ep).append(" ip saddr ").append(ip).append(" jump mark-for-masquerade\n");
            s.append(t)
                    .append(ep)
                    .append(" meta l4proto ")
                    .append(svc.protocol())
                    .append(" dnat to ")
                    .append(ip)
                    .append(':')
                    .append(svc.targetPort())
                    .append('\n');
            vmap.append(e == 0 ? "" : " , ").append(e).append(" : goto ").append(ep);
        }
        s.append(t)
                .append(chain)
                .append(" numgen random mod ")
                .append(svc.endpoints().size())
                .append(" vmap { ")
                .append(vmap)
                .append(" }\n");
    }

    /** Another table DNATing extra Service addresses before kube-proxy's {@code dstnat} chain runs. */
    private List<Integer> extraDnat(StringBuilder s) {
        List<Integer> vips = new ArrayList<>();
        s.append("add table ip lb\n");
        s.append("add chain ip lb pre { type nat hook prerouting priority dstnat - 5 ; }\n");
        s.append("add rule ip lb pre ").append(SENTINEL_PASS).append('\n');
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            int vip = NftOraclePlan.extraVips().get(i);
            vips.add(vip);
            int pod = NftOraclePlan.pods().get(40 + i);
            s.append("add rule ip lb pre ip daddr ")
                    .append(Ip4.format(vip))
                    .append(" tcp dport 80 dnat to ")
                    .append(Ip4.format(pod))
                    .append(":8080\n");
        }
        if (random.nextBoolean()) {
            s.append("add chain ip lb post { type nat hook postrouting priority srcnat + 5 ; }\n");
            s.append("add rule ip lb post ").append(SENTINEL_PASS).append('\n');
            s.append("add rule ip lb post ip saddr ")
                    .append(NftOraclePlan.CLUSTER_CIDR)
                    .append(" ip daddr != ")
                    .append(NftOraclePlan.CLUSTER_CIDR)
                    .append(" masquerade\n");
        }
        return vips;
    }

    /** A CNI's or host firewall's table, hooked next to kube-proxy's chains. */
    private void secondTable(StringBuilder s) {
        String family = random.nextBoolean() ? "inet" : "ip";
        String t = "add rule " + family + " fw ";
        s.append("add table ").append(family).append(" fw\n");
        int offset = random.nextInt(21) - 10;
        boolean drop = random.nextInt(3) == 0;
        s.append("add chain ")
                .append(family)
                .append(" fw forward { type filter hook forward priority filter ")
                .append(offset < 0 ? "- " + -offset : "+ " + offset)
                .append(" ; policy ")
                .append(drop ? "drop" : "accept")
                .append(" ; }\n");
        s.append(t).append("forward ").append(SENTINEL_PASS).append('\n');
        List<String> rules = new ArrayList<>(List.of(
                "ct state invalid drop",
                "ct state established,related accept",
                "iifname \"" + plan.clientDevice().substring(0, 2) + "*\" ip daddr "
                        + Ip4.format(NftOraclePlan.pods().get(random.nextInt(50))) + " drop",
                "ip saddr " + Ip4.format(NftOraclePlan.externalClients().get(random.nextInt(4)))
                        + " reject with icmp type admin-prohibited",
                "ip daddr " + Ip4.format(NftOraclePlan.remotes().get(random.nextInt(3))) + " counter reject",
                "ct status dnat accept",
                "meta l4proto icmp accept",
                "tcp dport { 22, 8081 } drop",
                "udp dport 8080 reject",
                "tcp dport 9999 reject with tcp reset",
                "ip daddr 10.244.1.0/24 tcp dport 8081 reject with tcp reset",
                "ip saddr 10.244.9.0/24 accept"));
        int n = 2 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
            s.append(t)
                    .append("forward ")
                    .append(rules.remove(random.nextInt(rules.size())))
                    .append('\n');
        }
        if (drop) {
            s.append(t)
                    .append("forward ip daddr ")
                    .append(NftOraclePlan.CLUSTER_CIDR)
                    .append(" accept\n");
        }
        if (random.nextBoolean()) {
            s.append("add chain ")
                    .append(family)
                    .append(" fw input { type filter hook input priority filter ")
                    .append(random.nextBoolean() ? "- 1" : "+ 1")
                    .append(" ; policy ")
                    .append(random.nextBoolean() ? "drop" : "accept")
                    .append(" ; }\n");
            s.append(t).append("input tcp dport 22 accept\n");
            s.append(t).append("input ct state established,related accept\n");
            s.append(t).append("input meta l4proto icmp accept\n");
            s.append(t)
                    .append("input tcp dport 30000-30010 ")
                    .append(random.nextBoolean() ? "accept" : "reject with tcp reset")
                    .append('\n');
        }
        if (random.nextBoolean()) {
            s.append("add chain ")
                    .append(family)
                    .append(" fw pre { type filter hook prerouting priority dstnat + 1 ; }\n");
            s.append(t).append("pre ").append(SENTINEL_PASS).append('\n');
            s.append(t).append("pre ct status dnat meta mark set mark or 0x10\n");
            s.append(t)
                    .append("pre ip daddr ")
                    .append(Ip4.format(NftOraclePlan.clusterIps().get(0)))
                    .append(" udp dport 53 drop\n");
        }
    }
}
