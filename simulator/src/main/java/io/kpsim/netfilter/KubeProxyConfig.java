package io.kpsim.netfilter;

import io.kpsim.packet.Cidr;

/**
 * The kube-proxy settings that shape its iptables rules.
 *
 * @param clusterCidr {@code --cluster-cidr}: sources outside it are masqueraded ({@code ! -s CIDR -j KUBE-MARK-MASQ})
 * @param dropInvalid whether KUBE-FORWARD starts with {@code -m conntrack --ctstate INVALID -j DROP}
 *                    (PR 74840; omitted when {@code nf_conntrack_tcp_be_liberal} is set, PR 120412)
 * @param masqueradeRandomFully whether MASQUERADE gets {@code --random-fully} (PR 78547, iptables 1.6.2+)
 * @param masqueradeBit {@code --iptables-masquerade-bit}, default 14 (mark {@code 0x4000})
 */
public record KubeProxyConfig(Cidr clusterCidr, boolean dropInvalid, boolean masqueradeRandomFully, int masqueradeBit) {

    /** Validates. */
    public KubeProxyConfig {
        if (clusterCidr == null) {
            throw new IllegalArgumentException("kube-proxy needs a cluster CIDR");
        }
        if (masqueradeBit < 0 || masqueradeBit > 31) {
            throw new IllegalArgumentException("masquerade bit " + masqueradeBit + " is not in 0..31");
        }
    }

    /** Defaults of a recent kube-proxy: mark bit 14, {@code --random-fully}. */
    public static KubeProxyConfig of(Cidr clusterCidr, boolean dropInvalid) {
        return new KubeProxyConfig(clusterCidr, dropInvalid, true, 14);
    }

    /** The masquerade mark, {@code 1 << masqueradeBit}. */
    public int masqueradeMark() {
        return 1 << masqueradeBit;
    }
}
