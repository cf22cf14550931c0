package io.kpsim.netfilter.nftables;

/**
 * The releases of kube-proxy's nftables mode whose rulesets differ for ClusterIP services
 * ({@code pkg/proxy/nftables/proxier.go}, {@code setupNFTables} and {@code syncProxyRules}).
 *
 * <ul>
 *   <li>{@link #N29}: 1.29 (alpha). Filter chains at {@code dstnat - 1} (-101), one
 *       {@code endpoints-check} chain, and a {@code forward} chain holding
 *       {@code ct state invalid drop} unless {@code nf_conntrack_tcp_be_liberal} was set when
 *       kube-proxy started (read from openshift/sdn release-4.16, kubernetes 1.29.1).
 *   <li>{@link #N30}: 1.30 … 1.33. Filter chains at -110 plus {@code filter-output-post-dnat} at
 *       -90, split endpoint checks, {@code cluster-ips-check}; no INVALID rule at all (kubernetes PR
 *       122663; read from openshift/sdn release-4.17, kubernetes 1.30.3).
 *   <li>{@link #N34}: 1.34. {@code filter-prerouting-pre-dnat}/{@code filter-output-pre-dnat} at
 *       -110, {@code filter-forward/input/output} at 0 (kubernetes PR 132456), the ClusterIP
 *       masquerade rule without its port match, the unallocated-ClusterIP drop.
 * </ul>
 */
public enum KubeProxyNftBand {
    N29,
    N30,
    N34;

    /**
     * The band of kube-proxy {@code version} ({@code "1.29"} … {@code "1.34"}).
     *
     * @throws IllegalArgumentException naming the versions that have nftables mode
     */
    public static KubeProxyNftBand of(String version) {
        return switch (version) {
            case "1.29" -> N29;
            case "1.30", "1.31", "1.32", "1.33" -> N30;
            case "1.34" -> N34;
            default ->
                throw new IllegalArgumentException(
                        "kube-proxy " + version + " has no nftables mode (nftables mode exists in 1.29 … 1.34)");
        };
    }
}
