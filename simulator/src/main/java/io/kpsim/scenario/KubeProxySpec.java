package io.kpsim.scenario;

import io.kpsim.conntrack.Sysctls;
import io.kpsim.netfilter.nftables.KubeProxyNftBand;
import io.kpsim.packet.Cidr;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code spec.kubeProxy}: the kube-proxy settings that matter for the reset.
 *
 * @param dropInvalid whether the node drops packets conntrack marks INVALID on the forward path
 *     whatever the release: in iptables mode KUBE-FORWARD's {@code -m conntrack --ctstate INVALID -j
 *     DROP} (kubernetes PR 74840; default {@code false}, the 2019 behaviour); in nftables mode a
 *     {@code ct state invalid drop} an operator adds (kube-proxy 1.29 writes its own unless be_liberal
 *     is set, 1.30+ none)
 * @param clusterCidr kube-proxy's {@code --cluster-cidr}: traffic to a ClusterIP from outside it is
 *     masqueraded ({@code ! -s CIDR -j KUBE-MARK-MASQ}); empty when not set (no such rule)
 * @param nftables the nftables-mode release whose rules the nodes run ({@code mode: nftables}),
 *     empty in iptables mode
 * @param version {@code spec.kubeProxy.version} as written, empty when not given (in iptables mode
 *     the release then writes the INVALID drop exactly when {@code dropInvalid} says so)
 * @param conntrack {@code spec.kubeProxy.conntrack}: the sysctls kube-proxy writes at start-up,
 *     empty when not given (the nodes keep the kernel's defaults and {@code spec.sysctls})
 */
public record KubeProxySpec(
        boolean dropInvalid,
        Optional<Cidr> clusterCidr,
        Optional<KubeProxyNftBand> nftables,
        Optional<String> version,
        Optional<KubeProxyConntrack> conntrack) {

    /** kube-proxy's defaults: iptables mode, no INVALID drop rule, no cluster CIDR. */
    public static final KubeProxySpec DEFAULT =
            new KubeProxySpec(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** Null checks only. */
    public KubeProxySpec {
        Objects.requireNonNull(clusterCidr, "clusterCidr");
        Objects.requireNonNull(nftables, "nftables");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(conntrack, "conntrack");
    }

    /** iptables mode with the given INVALID drop and cluster CIDR. */
    public KubeProxySpec(boolean dropInvalid, Optional<Cidr> clusterCidr) {
        this(dropInvalid, clusterCidr, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** {@code iptables} or {@code nftables}. */
    public String mode() {
        return nftables.isPresent() ? "nftables" : "iptables";
    }

    /** The release {@link #version} names, or {@code null} when none was given. */
    public KubeProxyRelease release() {
        return version.isPresent() ? KubeProxyRelease.parse(version.get()) : null;
    }

    /**
     * A node's sysctls once kube-proxy has started on it: {@code node} (the kernel's defaults with
     * {@code spec.sysctls}) with {@link #conntrack}'s writes over them.
     *
     * @throws IllegalArgumentException when a value kube-proxy writes is out of the kernel's range
     */
    public Sysctls nodeSysctls(Sysctls node) {
        return conntrack.isPresent() ? conntrack.get().applyTo(node, release()) : node;
    }

    /**
     * Whether INVALID packets are dropped on the forward path with these settings on a node whose
     * {@code nf_conntrack_tcp_be_liberal} is {@code beLiberal} once kube-proxy started: the explicit
     * drop, the one iptables-mode releases 1.15+ write ({@link KubeProxyRelease#iptablesDropsInvalid}),
     * or the one kube-proxy 1.29's nftables mode writes when be_liberal is 0.
     */
    public boolean invalidDropped(boolean beLiberal) {
        if (nftables.isPresent()) {
            return dropInvalid || (nftables.get() == KubeProxyNftBand.N29 && !beLiberal);
        }
        KubeProxyRelease r = release();
        return dropInvalid || (r != null && r.iptablesDropsInvalid(beLiberal));
    }
}
