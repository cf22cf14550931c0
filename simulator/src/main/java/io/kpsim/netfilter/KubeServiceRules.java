package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The rules one ClusterIP service port gets from kube-proxy's {@code syncProxyRules()} in iptables
 * mode, per {@link KubeProxyIptablesRelease}:
 *
 * <ul>
 *   <li>with endpoints: nat {@code KUBE-SERVICES} matches the ClusterIP and port and jumps to
 *       {@code KUBE-SVC-<hash>}; sources outside the cluster CIDR are marked for masquerade (in
 *       KUBE-SERVICES up to 1.21, first in KUBE-SVC from 1.22); KUBE-SVC picks endpoint i of N
 *       with {@code -m statistic --probability 1/(N-i)} (the last one unconditionally); each
 *       {@code KUBE-SEP-<hash>} marks hairpin traffic and DNATs;
 *   <li>without endpoints: one filter {@code KUBE-SERVICES} rule,
 *       {@code "ns/svc:port has no endpoints" … -j REJECT} (ICMP port unreachable), and no nat chain,
 *       the same in every release 1.14 … 1.34.
 * </ul>
 *
 * <p>Endpoints are ordered as kube-proxy's EndpointSlice cache hands them out: by the IP string
 * (1.16 … 1.22, {@code byIP}) or the {@code ip:port} string (1.23+, {@code byEndpoint}) in
 * {@code pkg/proxy/endpointslicecache.go}; 1.14 and 1.15 read the Endpoints object, in its order.
 */
final class KubeServiceRules {

    /** Where the rules go: filter KUBE-SERVICES, nat KUBE-SERVICES and the other nat chains by name. */
    record Chains(List<String> filterServices, List<String> natServices, TreeMap<String, List<String>> nat) {}

    private KubeServiceRules() {}

    /** Writes {@code svc}'s rules into {@code out}. */
    static void write(KubeService svc, KubeProxyConfig config, Chains out) {
        KubeProxyIptablesRelease release = config.release();
        String name = svc.servicePortName(release);
        String proto = KubeChainNames.lower(svc.protocol());
        String svcChain = KubeChainNames.serviceChain(name, svc.protocol());
        if (out.nat().containsKey(svcChain)) {
            throw new IllegalArgumentException("service port " + name + " (" + proto + ") given twice");
        }
        String portMatch = " -m " + proto + " -p " + proto + " -d " + release.address(Ip4.format(svc.clusterIp()))
                + " --dport " + svc.port();
        if (svc.hasNoEndpoints()) {
            out.filterServices()
                    .add("-A KUBE-SERVICES -m comment --comment \"" + name + " has no endpoints\"" + portMatch
                            + " -j REJECT");
            return;
        }
        String match = "-m comment --comment \"" + name + " cluster IP\"" + portMatch;
        List<String> svcRules = new ArrayList<>();
        if (config.clusterCidr().prefixLength() > 0) {
            // With no --cluster-cidr kube-proxy's local detector is a no-op and writes no such rule
            // (localDetector.IsImplemented()); "! -s 0.0.0.0/0" would match nothing, and iptables-nft refuses it.
            String masq = match + " ! -s " + config.clusterCidr() + " -j KUBE-MARK-MASQ";
            if (release.masqueradesInServiceChain()) {
                svcRules.add("-A " + svcChain + " " + masq);
            } else {
                out.natServices().add("-A KUBE-SERVICES " + masq);
            }
        }
        out.natServices().add("-A KUBE-SERVICES " + match + " -j " + svcChain);
        List<KubeEndpoint> endpoints = ordered(svc.endpoints(), release);
        int n = endpoints.size();
        String comment = release.commentsServiceChains() ? " -m comment --comment " + restoreWord(name) : "";
        for (int i = 0; i < n; i++) {
            KubeEndpoint ep = endpoints.get(i);
            String sepChain = KubeChainNames.endpointChain(name, svc.protocol(), ep.toString());
            StringBuilder jump = new StringBuilder("-A ").append(svcChain);
            if (release.commentsEndpointJumps()) {
                jump.append(" -m comment --comment \"")
                        .append(name)
                        .append(" -> ")
                        .append(ep)
                        .append('"');
            } else {
                jump.append(comment);
            }
            if (i < n - 1) {
                jump.append(" -m statistic --mode random --probability ").append(release.probability(n - i));
            }
            svcRules.add(jump.append(" -j ").append(sepChain).toString());
            out.nat()
                    .put(
                            sepChain,
                            List.of(
                                    "-A " + sepChain + comment + " -s " + release.address(Ip4.format(ep.ip()))
                                            + " -j KUBE-MARK-MASQ",
                                    "-A " + sepChain + comment + " -m " + proto + " -p " + proto
                                            + " -j DNAT --to-destination " + ep));
        }
        out.nat().put(svcChain, svcRules);
    }

    /** The endpoints in the order {@code release}'s endpoint cache hands them out. */
    static List<KubeEndpoint> ordered(List<KubeEndpoint> endpoints, KubeProxyIptablesRelease release) {
        List<KubeEndpoint> sorted = new ArrayList<>(endpoints);
        if (release.minor() >= 23) {
            sorted.sort((a, b) -> a.toString().compareTo(b.toString())); // archived, unlike Comparator's lambdas
        } else if (release.minor() >= 16) {
            sorted.sort((a, b) -> Ip4.format(a.ip()).compareTo(Ip4.format(b.ip())));
        }
        return sorted;
    }

    /** A word as kube-proxy writes it: quoted only when it contains a space. */
    static String restoreWord(String word) {
        return word.indexOf(' ') >= 0 ? "\"" + word + "\"" : word;
    }
}
