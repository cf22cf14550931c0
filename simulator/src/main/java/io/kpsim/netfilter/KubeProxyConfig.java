package io.kpsim.netfilter;

import io.kpsim.packet.Cidr;

/**
 * The kube-proxy settings that shape its iptables rules.
 *
 * @param clusterCidr {@code --cluster-cidr}: sources outside it are masqueraded ({@code ! -s CIDR -j KUBE-MARK-MASQ})
 * @param dropInvalid whether KUBE-FORWARD starts with {@code -m conntrack --ctstate INVALID -j DROP}
 *                    (PR 74840; omitted when {@code nf_conntrack_tcp_be_liberal} is set, PR 120412)
 * @param masqueradeRandomFully whether the node's iptables has {@code --random-fully} (1.6.2+), which
 *                    releases 1.16+ then put on MASQUERADE (PR 78547)
 * @param masqueradeBit {@code --iptables-masquerade-bit}, default 14 (mark {@code 0x4000})
 * @param release the kube-proxy release whose rules these are
 */
public record KubeProxyConfig(
        Cidr clusterCidr,
        boolean dropInvalid,
        boolean masqueradeRandomFully,
        int masqueradeBit,
        KubeProxyIptablesRelease release) {

    /** Validates. */
    public KubeProxyConfig {
        if (clusterCidr == null) {
            throw new IllegalArgumentException("kube-proxy needs a cluster CIDR");
        }
        if (masqueradeBit < 0 || masqueradeBit > 31) {
            throw new IllegalArgumentException("masquerade bit " + masqueradeBit + " is not in 0..31");
        }
        if (release == null) {
            throw new IllegalArgumentException("kube-proxy needs a release");
        }
    }

    /** The settings with {@link KubeProxyIptablesRelease#DEFAULT}'s rules. */
    public KubeProxyConfig(Cidr clusterCidr, boolean dropInvalid, boolean masqueradeRandomFully, int masqueradeBit) {
        this(clusterCidr, dropInvalid, masqueradeRandomFully, masqueradeBit, KubeProxyIptablesRelease.DEFAULT);
    }

    /** Defaults of a recent kube-proxy: mark bit 14, {@code --random-fully}, 1.28's rules. */
    public static KubeProxyConfig of(Cidr clusterCidr, boolean dropInvalid) {
        return new KubeProxyConfig(clusterCidr, dropInvalid, true, 14);
    }

    /** These settings for kube-proxy {@code release}. */
    public KubeProxyConfig withRelease(KubeProxyIptablesRelease release) {
        return new KubeProxyConfig(clusterCidr, dropInvalid, masqueradeRandomFully, masqueradeBit, release);
    }

    /** The masquerade mark, {@code 1 << masqueradeBit}. */
    public int masqueradeMark() {
        return 1 << masqueradeBit;
    }

    /** Whether MASQUERADE carries {@code --random-fully}: the release writes it and iptables has it. */
    public boolean randomFully() {
        return masqueradeRandomFully && release.masqueradesRandomFully();
    }
}
