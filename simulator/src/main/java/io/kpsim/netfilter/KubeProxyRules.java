package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * kube-proxy's iptables rules for ClusterIP services (iptables mode, v1.28+ shape), written the
 * way {@code syncProxyRules()} in {@code pkg/proxy/iptables/proxier.go} writes them:
 *
 * <ul>
 *   <li>{@link #restoreText}: the {@code iptables-restore --noflush} input, in the canonical
 *       order kube-proxy's own tests compare ({@code sortIPTablesRules}): fixed chains first,
 *       the others sorted, KUBE-SERVICES sorted by service with the KUBE-NODEPORTS jump last;</li>
 *   <li>{@link #baseJumps}: the jumps from the built-in chains, which kube-proxy installs one by
 *       one with {@code EnsureRule(Prepend)} (so they end up in reverse order), after kubelet
 *       appended its {@code -j KUBE-FIREWALL} jumps;</li>
 *   <li>{@link #ruleset}: both applied to an empty node.</li>
 * </ul>
 *
 * <p>Per service port: {@code KUBE-SERVICES} matches the ClusterIP and port and jumps to
 * {@code KUBE-SVC-<hash>}, which first marks sources outside the cluster CIDR for masquerade,
 * then picks endpoint i of N with {@code -m statistic --probability 1/(N-i)} (the last one
 * unconditionally); each {@code KUBE-SEP-<hash>} marks hairpin traffic and DNATs.
 */
public final class KubeProxyRules {

    private static final String NODEPORTS_COMMENT =
            "\"kubernetes service nodeports; NOTE: this must be the last rule in this chain\"";

    private KubeProxyRules() {}

    /** The node's rules: kubelet's and kube-proxy's base jumps, then kube-proxy's restore input. */
    public static Ruleset ruleset(List<KubeService> services, KubeProxyConfig config) {
        Ruleset base = IptablesRestore.restore(Ruleset.empty(), baseJumps(), false);
        return IptablesRestore.restore(base, restoreText(services, config), true);
    }

    /**
     * The built-in chain jumps as restore text: kubelet's {@code -A INPUT/OUTPUT -j KUBE-FIREWALL},
     * then kube-proxy's {@code iptablesJumpChains}, each inserted first ({@code -I CHAIN 1}).
     */
    public static String baseJumps() {
        String newState = "-m conntrack --ctstate NEW ";
        StringBuilder s = new StringBuilder(2048);
        s.append("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n");
        for (String c : List.of(
                "KUBE-EXTERNAL-SERVICES",
                "KUBE-FIREWALL",
                "KUBE-FORWARD",
                "KUBE-NODEPORTS",
                "KUBE-PROXY-FIREWALL",
                "KUBE-SERVICES")) {
            s.append(':').append(c).append(" - [0:0]\n");
        }
        s.append("-A INPUT -j KUBE-FIREWALL\n-A OUTPUT -j KUBE-FIREWALL\n");
        String ext =
                "-m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES\n";
        String svc = "-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n";
        String fw = "-m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL\n";
        s.append("-I INPUT 1 ").append(newState).append(ext);
        s.append("-I FORWARD 1 ").append(newState).append(ext);
        s.append("-I INPUT 1 -m comment --comment \"kubernetes health check service ports\" -j KUBE-NODEPORTS\n");
        s.append("-I FORWARD 1 ").append(newState).append(svc);
        s.append("-I OUTPUT 1 ").append(newState).append(svc);
        s.append("-I FORWARD 1 -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD\n");
        s.append("-I INPUT 1 ").append(newState).append(fw);
        s.append("-I OUTPUT 1 ").append(newState).append(fw);
        s.append("-I FORWARD 1 ").append(newState).append(fw);
        s.append("COMMIT\n");
        s.append("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n");
        s.append(":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n");
        s.append(":KUBE-MARK-MASQ - [0:0]\n:KUBE-NODEPORTS - [0:0]\n");
        s.append(":KUBE-POSTROUTING - [0:0]\n:KUBE-SERVICES - [0:0]\n");
        s.append("-I OUTPUT 1 ").append(svc);
        s.append("-I PREROUTING 1 ").append(svc);
        s.append("-I POSTROUTING 1 -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING\n");
        s.append("COMMIT\n");
        return s.toString();
    }

    /** kube-proxy's {@code iptables-restore --noflush} input for these services. */
    public static String restoreText(List<KubeService> services, KubeProxyConfig config) {
        String mark = MarkMatch.hex(config.masqueradeMark());
        StringBuilder s = new StringBuilder(4096);
        s.append("*filter\n");
        for (String c : List.of(
                "KUBE-NODEPORTS",
                "KUBE-SERVICES",
                "KUBE-EXTERNAL-SERVICES",
                "KUBE-FIREWALL",
                "KUBE-FORWARD",
                "KUBE-PROXY-FIREWALL")) {
            s.append(':').append(c).append(" - [0:0]\n");
        }
        s.append("-A KUBE-FIREWALL -m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ")
                .append("! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n");
        if (config.dropInvalid()) {
            s.append("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n");
        }
        s.append("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark ")
                .append(mark)
                .append('/')
                .append(mark)
                .append(" -j ACCEPT\n");
        s.append("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack ")
                .append("--ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        s.append("COMMIT\n");

        List<KubeService> sorted = new ArrayList<>(services);
        sorted.sort(Comparator.comparing(KubeService::servicePortName)
                .thenComparing(k -> KubeChainNames.lower(k.protocol())));
        TreeMap<String, List<String>> chains = new TreeMap<>();
        chains.put("KUBE-MARK-MASQ", List.of("-A KUBE-MARK-MASQ -j MARK --or-mark " + mark));
        chains.put(
                "KUBE-POSTROUTING",
                List.of(
                        "-A KUBE-POSTROUTING -m mark ! --mark " + mark + "/" + mark + " -j RETURN",
                        "-A KUBE-POSTROUTING -j MARK --xor-mark " + mark,
                        "-A KUBE-POSTROUTING -m comment"
                                + " --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE"
                                + (config.masqueradeRandomFully() ? " --random-fully" : "")));
        List<String> servicesChain = new ArrayList<>();
        for (KubeService svc : sorted) {
            writeService(svc, config, servicesChain, chains);
        }
        servicesChain.add("-A KUBE-SERVICES -m comment --comment " + NODEPORTS_COMMENT
                + " -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS");
        s.append("*nat\n:KUBE-NODEPORTS - [0:0]\n:KUBE-SERVICES - [0:0]\n");
        for (String c : chains.keySet()) {
            s.append(':').append(c).append(" - [0:0]\n");
        }
        for (String line : servicesChain) {
            s.append(line).append('\n');
        }
        for (List<String> lines : chains.values()) {
            for (String line : lines) {
                s.append(line).append('\n');
            }
        }
        s.append("COMMIT\n");
        return s.toString();
    }

    private static void writeService(
            KubeService svc, KubeProxyConfig config, List<String> servicesChain, TreeMap<String, List<String>> chains) {
        String name = svc.servicePortName();
        String proto = KubeChainNames.lower(svc.protocol());
        String svcChain = svc.serviceChain();
        if (chains.containsKey(svcChain)) {
            throw new IllegalArgumentException("service port " + name + " (" + proto + ") given twice");
        }
        String match = "-m comment --comment \"" + name + " cluster IP\" -m " + proto + " -p " + proto + " -d "
                + Ip4.format(svc.clusterIp()) + " --dport " + svc.port();
        servicesChain.add("-A KUBE-SERVICES " + match + " -j " + svcChain);
        List<String> svcRules = new ArrayList<>();
        svcRules.add("-A " + svcChain + " " + match + " ! -s " + config.clusterCidr() + " -j KUBE-MARK-MASQ");
        int n = svc.endpoints().size();
        for (int i = 0; i < n; i++) {
            KubeEndpoint ep = svc.endpoints().get(i);
            String sepChain = svc.endpointChain(ep);
            StringBuilder jump = new StringBuilder("-A ")
                    .append(svcChain)
                    .append(" -m comment --comment \"")
                    .append(name)
                    .append(" -> ")
                    .append(ep)
                    .append('"');
            if (i < n - 1) {
                jump.append(" -m statistic --mode random --probability ").append(computeProbability(n - i));
            }
            svcRules.add(jump.append(" -j ").append(sepChain).toString());
            String comment = "-m comment --comment " + restoreWord(name);
            chains.put(
                    sepChain,
                    List.of(
                            "-A " + sepChain + " " + comment + " -s " + Ip4.format(ep.ip()) + " -j KUBE-MARK-MASQ",
                            "-A " + sepChain + " " + comment + " -m " + proto + " -p " + proto
                                    + " -j DNAT --to-destination " + ep));
        }
        chains.put(svcChain, svcRules);
    }

    /** {@code computeProbability(n)}: {@code fmt.Sprintf("%0.10f", 1.0/float64(n))}. */
    static String computeProbability(int n) {
        return new BigDecimal(1.0 / n).setScale(10, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** A word as kube-proxy writes it: quoted only when it contains a space. */
    private static String restoreWord(String word) {
        return word.indexOf(' ') >= 0 ? "\"" + word + "\"" : word;
    }
}
