package io.kpsim.netfilter;

import java.util.List;

/**
 * What a kube-proxy minor release (1.14 … 1.34) writes differently in iptables mode for the
 * services kpsim models (ClusterIP ports, with or without endpoints), and for the node's base
 * chains. Each predicate names the change and where it was read: {@code syncProxyRules()} and
 * {@code iptablesJumpChains} in {@code pkg/proxy/iptables/proxier.go} of the release, from the
 * vendored trees of openshift/sdn (release-4.2 = 1.14.0 … release-4.17 = 1.30.3) and kubernetes'
 * own test goldens (≈1.28 and ≥1.31); the research note {@code kube-proxy-profiles.md} §1.3–§1.5
 * keeps the table. Releases with no pinned copy (1.15, 1.19, 1.24, 1.31–1.34) follow the dated
 * pull request.
 *
 * <p>The releases fall into the {@link #SHAPES} listed there: within one shape every release
 * writes the same rules for the same services.
 *
 * @param minor the minor version ({@code 29} for 1.29)
 */
public record KubeProxyIptablesRelease(int minor) {

    /** The oldest release modelled. */
    public static final int FIRST = 14;

    /** The newest release modelled. */
    public static final int LAST = 34;

    /** What kpsim writes when a scenario names no release: 1.28's rules (the 2023 shape). */
    public static final KubeProxyIptablesRelease DEFAULT = new KubeProxyIptablesRelease(28);

    /**
     * The first release of each distinct rule shape, oldest first: 1.14, 1.15, 1.16, 1.17, 1.18,
     * 1.19, 1.20, 1.21, 1.22, 1.23, 1.24, 1.25–1.26, 1.27–1.28, 1.29–1.30, 1.31–1.34.
     */
    public static final List<Integer> SHAPES = List.of(14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 29, 31);

    /** Range check. */
    public KubeProxyIptablesRelease {
        if (minor < FIRST || minor > LAST) {
            throw new IllegalArgumentException(
                    "kube-proxy 1." + minor + " is not modelled (releases 1." + FIRST + " … 1." + LAST + ")");
        }
    }

    /** {@code 1.29}. */
    public String label() {
        return "1." + minor;
    }

    /** The shape this release writes, named by its releases: {@code "1.25–1.26"}. */
    public String shape() {
        int i = SHAPES.size() - 1;
        while (SHAPES.get(i) > minor) {
            i--;
        }
        int first = SHAPES.get(i);
        int last = i + 1 < SHAPES.size() ? SHAPES.get(i + 1) - 1 : LAST;
        return first == last ? "1." + first : "1." + first + "–1." + last;
    }

    /** KUBE-FORWARD's INVALID drop exists at all (kubernetes PR 74840, 1.15). */
    public boolean writesInvalidDrop() {
        return minor >= 15;
    }

    /**
     * The INVALID drop counts into the nfacct object {@code ct_state_invalid_dropped_pkts}
     * (kubernetes PR 122812; absent from 1.30.3, present in the ≥1.31 {@code TestOverallIPTablesRules}).
     */
    public boolean countsInvalidDrops() {
        return minor >= 31;
    }

    /** MASQUERADE gets {@code --random-fully} when iptables has it (PR 78547, milestone 1.16). */
    public boolean masqueradesRandomFully() {
        return minor >= 16;
    }

    /**
     * Digits of {@code -m statistic --probability}: {@code %0.5f} up to 1.16, {@code %0.10f} from
     * 1.17 (read in 1.16.0 and 1.17.2).
     */
    public int probabilityDigits() {
        return minor >= 17 ? 10 : 5;
    }

    /**
     * The empty {@code KUBE-PROXY-CANARY} chains in mangle, nat and filter ({@code iptables.Monitor},
     * PR 81517; in 1.17.2, carried early by OpenShift's 1.16).
     */
    public boolean hasCanary() {
        return minor >= 17;
    }

    /**
     * KUBE-SVC and KUBE-SEP rules carry {@code -m comment --comment ns/svc:port}. 1.14 … 1.17 lose
     * them: {@code appendServiceCommentLocked} appends to a copy of the caller's slice (read in
     * 1.14.0, 1.16.0, 1.17.2; fixed in 1.18.2).
     */
    public boolean commentsServiceChains() {
        return minor >= 18;
    }

    /** The KUBE-SVC → KUBE-SEP jumps say {@code "ns/svc:port -> ip:port"} (read in 1.24.3). */
    public boolean commentsEndpointJumps() {
        return minor >= 24;
    }

    /**
     * KUBE-FORWARD's RELATED,ESTABLISHED accepts: 1.14 … 1.17 write two, "pod source rule" with
     * {@code -s CIDR} and "pod destination rule" with {@code -d CIDR}, and only with a cluster CIDR.
     */
    public boolean forwardAcceptsByClusterCidr() {
        return minor <= 17;
    }

    /** 1.23 merges the two accepts into one "kubernetes forwarding conntrack rule" (read in 1.23.4). */
    public boolean forwardAcceptsOnce() {
        return minor >= 23;
    }

    /**
     * KUBE-POSTROUTING returns unmarked packets, clears the mark ({@code --xor-mark}) and then
     * masquerades, and KUBE-MARK-MASQ uses {@code --or-mark} (PR 92035, in 1.19.2; before, one
     * {@code -m mark --mark M/M -j MASQUERADE} and {@code --set-xmark M/M}).
     */
    public boolean clearsMasqueradeMark() {
        return minor >= 19;
    }

    /**
     * An unnamed port's {@code ServicePortName} is {@code ns/name:} with a trailing colon up to 1.18
     * ({@code fmt.Sprintf("%s:%s", …)} in types.go), {@code ns/name} from 1.19 ({@code fmtPortName}):
     * it changes the chain hashes and comments of unnamed ports.
     */
    public boolean unnamedPortKeepsColon() {
        return minor <= 18;
    }

    /** filter INPUT jumps to KUBE-SERVICES; gone with PR 95252 (1.20), which adds FORWARD → KUBE-EXTERNAL-SERVICES. */
    public boolean inputJumpsToServices() {
        return minor <= 19;
    }

    /**
     * filter KUBE-NODEPORTS (health-check node ports) and {@code INPUT -j KUBE-NODEPORTS}
     * (read in 1.21.1).
     */
    public boolean hasFilterNodeports() {
        return minor >= 21;
    }

    /**
     * The ClusterIP masquerade rule ({@code ! -s CIDR -j KUBE-MARK-MASQ}) is in KUBE-SVC-x; up to
     * 1.21 it is a second KUBE-SERVICES rule before the jump (read in 1.21.1 and 1.22.0-rc.0).
     */
    public boolean masqueradesInServiceChain() {
        return minor >= 22;
    }

    /** kube-proxy ensures the (kubelet's) nat KUBE-MARK-DROP chain exists (1.20 … 1.24). */
    public boolean ensuresMarkDrop() {
        return minor >= 20 && minor <= 24;
    }

    /** filter KUBE-PROXY-FIREWALL and its jumps from INPUT, FORWARD, OUTPUT (PR 110289, 1.25). */
    public boolean hasProxyFirewall() {
        return minor >= 25;
    }

    /**
     * kube-proxy writes KUBE-FIREWALL's "block incoming localnet connections" rule and the
     * {@code INPUT/OUTPUT -j KUBE-FIREWALL} jumps itself (read in 1.27.1), because kubelet stops
     * writing its chains once {@code IPTablesOwnershipCleanup} is on (beta 1.27, GA 1.28 in PR 119374).
     */
    public boolean ownsKubeFirewall() {
        return minor >= 27;
    }

    /**
     * The address form in kube-proxy's restore text: {@code 172.30.1.1/32} up to 1.22
     * ({@code utilproxy.ToCIDR}), bare from 1.23. The kernel prints {@code /32} either way.
     */
    public String address(String ip) {
        return minor <= 22 ? ip + "/32" : ip;
    }

    /**
     * {@code computeProbability(n)}, {@code 1/n} printed with {@link #probabilityDigits()} digits
     * ({@code %0.5f} or {@code %0.10f}).
     */
    public String probability(int n) {
        return new java.math.BigDecimal(1.0 / n)
                .setScale(probabilityDigits(), java.math.RoundingMode.HALF_EVEN)
                .toPlainString();
    }
}
