package io.kpsim.replay;

import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import java.util.List;

/**
 * How the node that receives the captured packets is set up: its services (kube-proxy's DNAT
 * rules), the kernel and its sysctls, and whether KUBE-FORWARD drops INVALID packets. Shared by
 * {@code kpsim replay} (the model) and {@code kpsim oracle} (the real kernel).
 *
 * @param services ClusterIP services and their endpoints
 * @param kernel the kernel behaviour to reproduce
 * @param sysctls the node's {@code net.netfilter} settings (be_liberal included)
 * @param dropInvalid whether KUBE-FORWARD starts with {@code -m conntrack --ctstate INVALID -j DROP}
 * @param seed seeds endpoint choice, NAT port choice and the conntrack hash
 */
public record NodeConfig(
        List<ServiceMapping> services, KernelProfile kernel, Sysctls sysctls, boolean dropInvalid, long seed) {

    /** Copies the service list. */
    public NodeConfig {
        services = List.copyOf(services);
    }

    /** Whether {@code nf_conntrack_tcp_be_liberal} is on. */
    public boolean beLiberal() {
        return sysctls.tcpBeLiberal();
    }
}
