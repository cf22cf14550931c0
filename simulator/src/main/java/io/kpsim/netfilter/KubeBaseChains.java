package io.kpsim.netfilter;

import java.util.ArrayList;
import java.util.List;

/**
 * What a node holds before kube-proxy's first {@code iptables-restore}, as restore text: the jumps
 * from the built-in chains, kubelet's chains, and the canary chains, per
 * {@link KubeProxyIptablesRelease}.
 *
 * <ul>
 *   <li>kube-proxy installs its jumps one by one with {@code EnsureRule(Prepend)} from
 *       {@code iptablesJumpChains}, so a built-in chain holds them in the reverse of that list; the
 *       text writes that final order (research note {@code kube-proxy-profiles.md} §1.5, checked by
 *       loading it into a kernel). 1.14 … 1.19 also jump from INPUT to KUBE-SERVICES; PR 95252
 *       (1.20) drops that and adds FORWARD → KUBE-EXTERNAL-SERVICES; 1.21 adds INPUT →
 *       KUBE-NODEPORTS (health checks), 1.25 KUBE-PROXY-FIREWALL (PR 110289).
 *   <li>kubelet up to 1.26 ({@code syncNetworkUtil} in {@code pkg/kubelet/kubelet_network_linux.go},
 *       read at kubernetes 02c82103) writes nat {@code KUBE-MARK-DROP} ({@code --or-mark 0x8000}) and
 *       filter {@code KUBE-FIREWALL} (drop what carries 0x8000; from 1.19 also "block incoming localnet
 *       connections", kubernetes issue 90259), with {@code INPUT/OUTPUT -j KUBE-FIREWALL} prepended
 *       before kube-proxy started, so those end up last. From 1.27 {@code IPTablesOwnershipCleanup}
 *       (beta 1.27, GA 1.28) turns kubelet's chains off and kube-proxy ensures the KUBE-FIREWALL jumps
 *       itself, after its own ({@code iptablesKubeletJumpChains}), so they come first. kube-proxy
 *       1.20 … 1.24 also {@code EnsureChain(nat, KUBE-MARK-DROP)}.
 *   <li>{@code KUBE-PROXY-CANARY}, empty, in mangle, nat and filter from 1.17 ({@code iptables.Monitor}).
 * </ul>
 *
 * kubelet's own canary ({@code KUBE-KUBELET-CANARY}) and hint ({@code KUBE-IPTABLES-HINT}) chains are
 * not written: they hold no rules and no packet reaches them.
 */
final class KubeBaseChains {

    private static final String NEW = "-m conntrack --ctstate NEW ";
    private static final String SERVICES = "-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES";
    private static final String EXTERNAL =
            "-m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES";
    private static final String FIREWALL =
            "-m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL";
    private static final String NODEPORTS =
            "-m comment --comment \"kubernetes health check service ports\" -j KUBE-NODEPORTS";
    private static final String FORWARD = "-m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD";
    private static final String CANARY = "KUBE-PROXY-CANARY";

    private KubeBaseChains() {}

    /** The restore text (tables in full, not {@code --noflush}). */
    static String text(KubeProxyIptablesRelease release) {
        boolean kubelet = !release.ownsKubeFirewall();
        StringBuilder s = new StringBuilder(2048);
        if (release.hasCanary()) {
            s.append("*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n")
                    .append(":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:" + CANARY + " - [0:0]\nCOMMIT\n");
        }
        s.append("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n");
        List<String> chains = new ArrayList<>(List.of("KUBE-EXTERNAL-SERVICES", "KUBE-FIREWALL", "KUBE-FORWARD"));
        if (release.hasFilterNodeports()) {
            chains.add("KUBE-NODEPORTS");
        }
        if (release.hasCanary()) {
            chains.add(CANARY);
        }
        if (release.hasProxyFirewall()) {
            chains.add("KUBE-PROXY-FIREWALL");
        }
        chains.add("KUBE-SERVICES");
        chains.forEach(c -> s.append(':').append(c).append(" - [0:0]\n"));
        List<String> input = new ArrayList<>();
        List<String> forward = new ArrayList<>();
        List<String> output = new ArrayList<>();
        if (!kubelet) {
            input.add("-j KUBE-FIREWALL");
            output.add("-j KUBE-FIREWALL");
        }
        if (release.hasProxyFirewall()) {
            input.add(NEW + FIREWALL);
            forward.add(NEW + FIREWALL);
            output.add(NEW + FIREWALL);
        }
        if (release.inputJumpsToServices()) {
            input.add(NEW + SERVICES);
        }
        if (release.hasFilterNodeports()) {
            input.add(NODEPORTS);
        }
        input.add(NEW + EXTERNAL);
        forward.add(FORWARD);
        forward.add(NEW + SERVICES);
        if (!release.inputJumpsToServices()) {
            forward.add(NEW + EXTERNAL);
        }
        output.add(NEW + SERVICES);
        if (kubelet) {
            input.add("-j KUBE-FIREWALL");
            output.add("-j KUBE-FIREWALL");
        }
        append(s, "INPUT", input);
        append(s, "FORWARD", forward);
        append(s, "OUTPUT", output);
        if (kubelet) {
            s.append("-A KUBE-FIREWALL -m comment --comment \"kubernetes firewall for dropping marked packets\"")
                    .append(" -m mark --mark 0x8000/0x8000 -j DROP\n");
            if (release.minor() >= 19) {
                s.append(KubeProxyRules.LOCALNET_RULE).append('\n');
            }
        }
        s.append("COMMIT\n");
        s.append("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n")
                .append(":POSTROUTING ACCEPT [0:0]\n");
        if (kubelet || release.ensuresMarkDrop()) {
            s.append(":KUBE-MARK-DROP - [0:0]\n");
        }
        s.append(":KUBE-MARK-MASQ - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-POSTROUTING - [0:0]\n");
        if (release.hasCanary()) {
            s.append(":" + CANARY + " - [0:0]\n");
        }
        s.append(":KUBE-SERVICES - [0:0]\n");
        s.append("-A PREROUTING ").append(SERVICES).append('\n');
        s.append("-A OUTPUT ").append(SERVICES).append('\n');
        s.append("-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING\n");
        if (kubelet) {
            s.append("-A KUBE-MARK-DROP -j MARK --or-mark 0x8000\n");
        }
        s.append("COMMIT\n");
        return s.toString();
    }

    private static void append(StringBuilder s, String chain, List<String> rules) {
        for (String r : rules) {
            s.append("-A ").append(chain).append(' ').append(r).append('\n');
        }
    }
}
