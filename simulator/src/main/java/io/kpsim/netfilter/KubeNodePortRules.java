package io.kpsim.netfilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The nat rules kube-proxy's iptables mode (1.24 … 1.30 shape) writes for NodePorts with
 * {@code externalTrafficPolicy: Cluster}, as {@code syncProxyRules()} in
 * {@code pkg/proxy/iptables/proxier.go} writes them and its {@code TestOverallIPTablesRules}
 * golden shows (svc4's KUBE-EXT chain, svc3's KUBE-NODEPORTS rule):
 *
 * <pre>
 * -A KUBE-NODEPORTS -m comment --comment ns/svc:port -m tcp -p tcp --dport NODEPORT -j KUBE-EXT-HASH
 * -A KUBE-EXT-HASH -m comment --comment "masquerade traffic for ns/svc:port external destinations" -j KUBE-MARK-MASQ
 * -A KUBE-EXT-HASH -j KUBE-SVC-HASH
 * </pre>
 *
 * <p>KUBE-SERVICES reaches KUBE-NODEPORTS last, and only for packets to a local address
 * ({@code -m addrtype --dst-type LOCAL}), so a node DNATs only what is sent to one of its own
 * addresses. Every NodePort connection is masqueraded: the endpoint sees the address of the
 * node's interface towards it, and its replies come back to the node, whose conntrack must
 * reverse both translations. (1.31+ also writes a {@code -d 127.0.0.0/8 ... -m nfacct} rule per
 * NodePort for localhost NodePorts; kpsim's nodes never send to 127.0.0.0/8 NodePorts.)
 *
 * <p>The text is a second {@code iptables-restore --noflush} input applied after
 * {@link KubeProxyRules#restoreText}, whose KUBE-NODEPORTS, KUBE-MARK-MASQ and KUBE-SVC chains it
 * uses: it declares only its KUBE-EXT chains, so the others are not flushed.
 */
public final class KubeNodePortRules {

    private KubeNodePortRules() {}

    /** The restore input for {@code nodePorts}, sorted by service port name and protocol as kube-proxy's tests sort. */
    public static String restoreText(List<KubeNodePort> nodePorts) {
        List<KubeNodePort> sorted = new ArrayList<>(nodePorts);
        sorted.sort(Comparator.comparing((KubeNodePort n) -> n.service().servicePortName())
                .thenComparing(n -> KubeChainNames.lower(n.service().protocol())));
        StringBuilder s = new StringBuilder(256 + 256 * sorted.size());
        s.append("*nat\n");
        for (KubeNodePort n : sorted) {
            s.append(':').append(n.externalChain()).append(" - [0:0]\n");
        }
        for (KubeNodePort n : sorted) {
            String proto = KubeChainNames.lower(n.service().protocol());
            s.append("-A KUBE-NODEPORTS -m comment --comment ")
                    .append(word(n.service().servicePortName()))
                    .append(" -m ")
                    .append(proto)
                    .append(" -p ")
                    .append(proto)
                    .append(" --dport ")
                    .append(n.nodePort())
                    .append(" -j ")
                    .append(n.externalChain())
                    .append('\n');
        }
        for (KubeNodePort n : sorted) {
            String ext = n.externalChain();
            s.append("-A ")
                    .append(ext)
                    .append(" -m comment --comment \"masquerade traffic for ")
                    .append(n.service().servicePortName())
                    .append(" external destinations\" -j KUBE-MARK-MASQ\n");
            s.append("-A ")
                    .append(ext)
                    .append(" -j ")
                    .append(n.service().serviceChain())
                    .append('\n');
        }
        s.append("COMMIT\n");
        return s.toString();
    }

    /** A word as kube-proxy writes it: quoted only when it contains a space. */
    private static String word(String w) {
        return w.indexOf(' ') >= 0 ? "\"" + w + "\"" : w;
    }
}
