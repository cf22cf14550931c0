package io.kpsim.oracle;

import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.replay.NodeConfig;
import io.kpsim.replay.ServiceMapping;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The node the oracle builds: the services kube-proxy would DNAT, the kernel the comparison is
 * about, the node namespace's {@code net.netfilter.*} sysctls (per-namespace in the kernel, so
 * they never leak into the root namespace), whether FORWARD drops INVALID packets (kubernetes PR
 * 74840), and how long the kernel may take over one packet before the oracle gives up.
 *
 * <p>Multi-endpoint services are installed as kube-proxy does, with {@code -m statistic --mode
 * random} rules; the kernel then picks the endpoint at random, so the differential test's
 * generator uses single-endpoint services only.
 *
 * @param services ClusterIP services (TCP) and their endpoints
 * @param kernel the kernel version the model side reproduces; must match the running kernel
 * @param sysctls sysctls by full name ({@code net.netfilter.nf_conntrack_tcp_be_liberal}) and
 *        value as written to {@code /proc/sys}; only values that differ from the fresh
 *        namespace's are written
 * @param dropInvalid whether FORWARD starts with {@code -m conntrack --ctstate INVALID -j DROP}
 * @param verdictTimeout how long to wait for the evidence of one packet (its forwarded copy or the
 *     {@link Sentinel} behind it) before the oracle stops with an error; a bound for a stuck or
 *     overloaded machine, never a way to decide a verdict
 */
public record OracleConfig(
        List<ServiceMapping> services,
        KernelProfile kernel,
        SortedMap<String, String> sysctls,
        boolean dropInvalid,
        Duration verdictTimeout) {

    /**
     * The default bound on one packet's evidence: the sentinel usually comes out within a tenth of
     * a millisecond, so this only ends a run whose machine has stopped forwarding.
     */
    public static final Duration DEFAULT_VERDICT_TIMEOUT = Duration.ofSeconds(5);

    /** The be_liberal sysctl's full name. */
    public static final String BE_LIBERAL = "net.netfilter.nf_conntrack_tcp_be_liberal";

    /** Validates and copies. */
    public OracleConfig {
        services = List.copyOf(services);
        sysctls = Collections.unmodifiableSortedMap(new TreeMap<>(sysctls));
        if (kernel == null) {
            throw new IllegalArgumentException("the oracle needs a kernel version");
        }
        for (String name : sysctls.keySet()) {
            if (!name.startsWith("net.netfilter.")) {
                throw new IllegalArgumentException(
                        "--sysctl " + name + ": the oracle sets only per-namespace" + " net.netfilter.* sysctls");
            }
        }
        if (verdictTimeout.toMillis() < 1 || verdictTimeout.toMillis() > 60_000) {
            throw new IllegalArgumentException(
                    "verdict timeout " + verdictTimeout.toMillis() + " ms is not in 1..60000 ms");
        }
    }

    /** A configuration with the given services, default sysctls and the default verdict timeout. */
    public static OracleConfig of(List<ServiceMapping> services, boolean beLiberal, boolean dropInvalid) {
        SortedMap<String, String> sysctls = new TreeMap<>();
        if (beLiberal) {
            sysctls.put(BE_LIBERAL, "1");
        }
        return new OracleConfig(services, KernelProfile.V6_18, sysctls, dropInvalid, DEFAULT_VERDICT_TIMEOUT);
    }

    /**
     * The oracle's view of the node {@code kpsim replay} models: the sysctls that differ from the
     * kernel's defaults (a fresh namespace starts from those), by name.
     */
    public static OracleConfig from(NodeConfig node) {
        SortedMap<String, String> sysctls = new TreeMap<>();
        Map<String, Long> defaults = Sysctls.defaults(node.kernel()).asMap();
        for (Map.Entry<String, Long> e : node.sysctls().asMap().entrySet()) {
            if (!e.getValue().equals(defaults.get(e.getKey()))) {
                sysctls.put(e.getKey(), Long.toString(e.getValue()));
            }
        }
        return new OracleConfig(node.services(), node.kernel(), sysctls, node.dropInvalid(), DEFAULT_VERDICT_TIMEOUT);
    }

    /** Whether {@code nf_conntrack_tcp_be_liberal} is set to a non-zero value. */
    public boolean beLiberal() {
        String v = sysctls.get(BE_LIBERAL);
        return v != null && !v.equals("0");
    }
}
