package io.kpsim.scenario;

import io.kpsim.cluster.InjectionSpec;
import io.kpsim.cluster.NodeSpec;
import io.kpsim.cluster.PodSpec;
import io.kpsim.cluster.ServiceSpec;
import io.kpsim.cluster.WorkloadSpec;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code spec:} of a scenario: the cluster (nodes, pods, services, links), what runs in it
 * (workloads, injections), the kernel and its sysctls, kube-proxy's settings, and what the run must
 * show ({@code expect}). All lists and the sysctl map keep document order, so a model built from
 * them iterates deterministically. Nodes, pods, services, workloads and injections are the
 * cluster model's own spec records ({@code io.kpsim.cluster}), bound from YAML and resolved (a
 * client's {@code service: files:80} is the ClusterIP and port it connects to), so
 * {@link ScenarioBuilder} hands them to the model unchanged.
 *
 * @param seed the seed of every random choice in the run
 * @param durationNanos how long the run lasts, in simulated nanoseconds
 * @param kernel whose conntrack behaviour is modelled
 * @param sysctls {@code net.netfilter.*} settings by real name, values as written to {@code /proc/sys};
 *     already checked by {@link SysctlCheck} for {@code kernel}
 * @param kubeProxy kube-proxy settings
 * @param nodes the nodes, each with the scenario's kernel, sysctls and {@code kubeProxy.dropInvalid}
 * @param pods the pods, each with its TCP settings
 * @param services the ClusterIP services
 * @param links impaired links as written (pairs not listed are perfect)
 * @param workloads applications in pods
 * @param injections forged segments
 * @param expectations conditions on the run's metrics
 * @param kernelText {@code spec.kernel} as written: a profile label or a kernel version string
 *     ({@code 5.15.0-91-generic}) that {@link #kernel} models ({@code KernelChoice} says how); the
 *     profile's label when the scenario names no kernel
 */
public record ScenarioSpec(
        long seed,
        long durationNanos,
        KernelProfile kernel,
        Map<String, String> sysctls,
        KubeProxySpec kubeProxy,
        List<NodeSpec> nodes,
        List<PodSpec> pods,
        List<ServiceSpec> services,
        List<LinkSpec> links,
        List<WorkloadSpec> workloads,
        List<InjectionSpec> injections,
        List<Expectation> expectations,
        String kernelText) {

    /** Null checks and immutable, order-preserving copies. */
    public ScenarioSpec {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(kubeProxy, "kubeProxy");
        Objects.requireNonNull(kernelText, "kernelText");
        sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
        services = List.copyOf(services);
        links = List.copyOf(links);
        workloads = List.copyOf(workloads);
        injections = List.copyOf(injections);
        expectations = List.copyOf(expectations);
    }

    /**
     * The conntrack settings of every node: {@link #kernel}'s defaults with {@link #sysctls} applied,
     * then what kube-proxy writes at start-up ({@code spec.kubeProxy.conntrack}).
     */
    public Sysctls conntrackSysctls() {
        return kubeProxy.nodeSysctls(SysctlCheck.apply(kernel, sysctls));
    }

    /** The node called {@code name}. */
    public Optional<NodeSpec> node(String name) {
        for (NodeSpec n : nodes) {
            if (n.name().equals(name)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** The pod called {@code name}. */
    public Optional<PodSpec> pod(String name) {
        for (PodSpec p : pods) {
            if (p.name().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The service {@code namespace/name}. */
    public Optional<ServiceSpec> service(String namespace, String name) {
        for (ServiceSpec s : services) {
            if (s.namespace().equals(namespace) && s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The first link joining {@code x} and {@code y} as written, or a perfect one. */
    public LinkSpec link(String x, String y, LinkScope scope) {
        for (LinkSpec l : links) {
            if (l.name().isEmpty() && l.joins(x, y)) {
                return l;
            }
        }
        return LinkSpec.perfect(x, y, scope);
    }
}
