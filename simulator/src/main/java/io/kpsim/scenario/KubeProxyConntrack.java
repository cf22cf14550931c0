package io.kpsim.scenario;

import io.kpsim.conntrack.Sysctls;

/**
 * {@code spec.kubeProxy.conntrack}: the conntrack sysctls kube-proxy writes itself at start-up,
 * before it creates the proxier ({@code setupConntrack} in {@code cmd/kube-proxy/app/server_others.go}
 * 1.29, {@code server_linux.go} 1.30; {@code getConntrackMax} and {@code realConntracker}; research
 * with sources in {@code kube-proxy-profiles.md} §3). So a node's sysctls are the scenario's
 * {@code spec.sysctls} with these written over them, and kube-proxy 1.29+ decides about its INVALID
 * drop on the result.
 *
 * <ul>
 *   <li>{@code nf_conntrack_max} = {@code max(maxPerCore × cores, min)} when that is above 0
 *       ({@code maxPerCore: 0} leaves it alone, as kind configures it), and the hash table grown to
 *       {@code max / 4} buckets when it is smaller ({@code /sys/module/nf_conntrack/parameters/hashsize});
 *   <li>{@code nf_conntrack_tcp_timeout_established} and {@code _close_wait} in whole seconds,
 *       when above 0;
 *   <li>{@code nf_conntrack_tcp_be_liberal=1} when {@code tcpBeLiberal} is on (1.29+, never written
 *       as 0).
 * </ul>
 *
 * <p>1.14 … 1.22 and 1.29+ write a value whenever it differs from the node's; 1.23 … 1.28 only
 * when the node's is lower (PR 103174, reverted by PR 120448), so a node configured higher keeps
 * its value there. The newest kube-proxy also caps the scaled maximum at 1048576; the release that
 * brought the cap is not pinned and kpsim does not apply it.
 *
 * @param tcpBeLiberal {@code conntrack.tcpBeLiberal} ({@code --conntrack-tcp-be-liberal}), default off
 * @param maxPerCore {@code conntrack.maxPerCore}, default 32768
 * @param min {@code conntrack.min}, default 131072
 * @param cores the CPUs kube-proxy counts on the node ({@code runtime.NumCPU()}, from 1.21 cadvisor's
 *     topology), default 1
 * @param tcpEstablishedTimeoutSeconds {@code conntrack.tcpEstablishedTimeout}, default 86400 (24h)
 * @param tcpCloseWaitTimeoutSeconds {@code conntrack.tcpCloseWaitTimeout}, default 3600 (1h)
 */
public record KubeProxyConntrack(
        boolean tcpBeLiberal,
        long maxPerCore,
        long min,
        long cores,
        long tcpEstablishedTimeoutSeconds,
        long tcpCloseWaitTimeoutSeconds) {

    /** kube-proxy's defaults (KubeProxyConfiguration v1alpha1, unchanged 1.14 … 1.34) on one CPU. */
    public static final KubeProxyConntrack DEFAULTS = new KubeProxyConntrack(false, 32768, 131072, 1, 86400, 3600);

    /** Ranges. */
    public KubeProxyConntrack {
        if (maxPerCore < 0
                || min < 0
                || cores < 1
                || tcpEstablishedTimeoutSeconds < 0
                || tcpCloseWaitTimeoutSeconds < 0) {
            throw new IllegalArgumentException("kube-proxy conntrack settings out of range");
        }
    }

    /** The {@code nf_conntrack_max} kube-proxy asks for, or 0 when it leaves it alone. */
    public long conntrackMax() {
        if (maxPerCore == 0) {
            return 0;
        }
        return Math.max(maxPerCore * cores, min);
    }

    /**
     * {@code node} with what kube-proxy {@code release} writes at start-up (any release's rules
     * when {@code release} is {@code null}: write when the value differs).
     *
     * @throws IllegalArgumentException when a value is out of the kernel's range (the sysctl's
     *     message)
     */
    public Sysctls applyTo(Sysctls node, KubeProxyRelease release) {
        boolean raisesOnly = release != null && release.raisesOnly();
        Sysctls s = node;
        long max = conntrackMax();
        if (max > 0) {
            s = write(s, "nf_conntrack_max", max, raisesOnly);
            if (s.buckets() < max / 4) {
                s = s.with("nf_conntrack_buckets", Long.toString(max / 4));
            }
        }
        if (tcpEstablishedTimeoutSeconds > 0) {
            s = write(s, "nf_conntrack_tcp_timeout_established", tcpEstablishedTimeoutSeconds, raisesOnly);
        }
        if (tcpCloseWaitTimeoutSeconds > 0) {
            s = write(s, "nf_conntrack_tcp_timeout_close_wait", tcpCloseWaitTimeoutSeconds, raisesOnly);
        }
        if (tcpBeLiberal) {
            s = s.with("nf_conntrack_tcp_be_liberal", "1");
        }
        return s;
    }

    private static Sysctls write(Sysctls s, String name, long value, boolean raisesOnly) {
        long current = s.get(name);
        if (current == value || (raisesOnly && current > value)) {
            return s;
        }
        return s.with(name, Long.toString(value));
    }
}
