package io.kpsim.scenario;

import io.kpsim.packet.Cidr;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code spec.kubeProxy}: the kube-proxy (iptables mode) settings that matter for the reset.
 *
 * @param dropInvalid whether KUBE-FORWARD carries {@code -m conntrack --ctstate INVALID -j DROP},
 *     the rule of kubernetes PR 74840 (default {@code false}, the 2019 behaviour)
 * @param clusterCidr kube-proxy's {@code --cluster-cidr}: traffic to a ClusterIP from outside it is
 *     masqueraded ({@code ! -s CIDR -j KUBE-MARK-MASQ}); empty when not set (no such rule)
 */
public record KubeProxySpec(boolean dropInvalid, Optional<Cidr> clusterCidr) {

    /** kube-proxy's defaults: no INVALID drop rule, no cluster CIDR. */
    public static final KubeProxySpec DEFAULT = new KubeProxySpec(false, Optional.empty());

    /** Null checks only. */
    public KubeProxySpec {
        Objects.requireNonNull(clusterCidr, "clusterCidr");
    }
}
