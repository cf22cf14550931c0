package io.kpsim.cluster;

import io.kpsim.netfilter.HookProgram;
import io.kpsim.netfilter.KubeNodePort;
import io.kpsim.netfilter.KubeService;
import io.kpsim.netfilter.nftables.KubeProxyNftBand;
import io.kpsim.netfilter.nftables.KubeProxyNftRules;
import io.kpsim.netfilter.nftables.NftEngine;
import io.kpsim.netfilter.nftables.NftParser;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import java.util.List;

/**
 * A node's nftables programs when kube-proxy runs in nftables mode: the rules of the node's
 * kube-proxy release ({@link KubeProxyNftRules}), read and run by kpsim's nftables engine like a
 * real node's {@code nft list ruleset}, NodePorts included (every node writes every NodePort; 1.30+
 * accept them on the node's primary IP, 1.29 on any local address but 127.0.0.0/8).
 *
 * <p>Two node settings shape them. kube-proxy 1.29 reads {@code nf_conntrack_tcp_be_liberal} at
 * start and writes {@code ct state invalid drop} only when it is 0. A node whose
 * {@code dropInvalid} is set gets that drop whatever the release: as the table
 * {@code ip kpsim-fix} with one forward chain at the filter priority, the rule an operator adds
 * by hand on a 1.30+ node, since those releases write none (kubernetes PR 122663).
 *
 * <p>The Service CIDR of 1.34's "Drop traffic to unallocated ClusterIPs" rule is the default
 * {@code 10.96.0.0/12} when it holds every ClusterIP, else the longest prefix (at most /16) that
 * does; kpsim clusters have no ServiceCIDR objects.
 */
final class KubeProxyNftNode {

    static final String FIX_TABLE = "table ip kpsim-fix {\n"
            + "\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n"
            + "\t\tct state invalid drop\n\t}\n}\n";
    private static final Cidr DEFAULT_SERVICE_CIDR = Cidr.parse("10.96.0.0/12");

    private KubeProxyNftNode() {}

    /** The ruleset text of {@code node}. */
    static String text(
            List<KubeService> services,
            List<KubeNodePort> nodePorts,
            KubeProxyNftBand band,
            Cidr clusterCidr,
            NodeSpec node) {
        String text = KubeProxyNftRules.text(
                services,
                nodePorts,
                band,
                clusterCidr,
                serviceCidr(services),
                node.ip(),
                node.sysctls().tcpBeLiberal());
        return node.dropInvalid() ? text + FIX_TABLE : text;
    }

    /** The programs of {@code node}'s base chains. */
    static List<HookProgram> programs(
            List<KubeService> services,
            List<KubeNodePort> nodePorts,
            KubeProxyNftBand band,
            Cidr clusterCidr,
            NodeSpec node) {
        return new NftEngine(NftParser.parse(
                        "kube-proxy-" + node.name() + ".nft", text(services, nodePorts, band, clusterCidr, node)))
                .programs();
    }

    static Cidr serviceCidr(List<KubeService> services) {
        boolean inDefault = true;
        for (KubeService s : services) {
            inDefault &= DEFAULT_SERVICE_CIDR.contains(s.clusterIp());
        }
        if (inDefault || services.isEmpty()) {
            return DEFAULT_SERVICE_CIDR;
        }
        int first = services.get(0).clusterIp();
        int length = 16;
        for (KubeService s : services) {
            while (length > 0 && ((s.clusterIp() ^ first) & Ip4.mask(length)) != 0) {
                length--;
            }
        }
        return new Cidr(first & Ip4.mask(length), length);
    }
}
