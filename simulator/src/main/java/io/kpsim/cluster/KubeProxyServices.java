package io.kpsim.cluster;

import io.kpsim.netfilter.KubeEndpoint;
import io.kpsim.netfilter.KubeNodePort;
import io.kpsim.netfilter.KubeService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What kube-proxy sees of the cluster's Services: each (Service, port) pair as one
 * {@link KubeService} with its endpoints' addresses and target port, and the NodePorts among them,
 * as kube-proxy's {@code ServiceChangeTracker} and {@code EndpointsChangeTracker} turn Service and
 * EndpointSlice objects into {@code ServicePortName}s (kubernetes pkg/proxy/servicechangetracker.go,
 * endpointschangetracker.go). Both the iptables and the nftables rules are written from it.
 */
final class KubeProxyServices {

    private KubeProxyServices() {}

    /** One {@link KubeService} per port of each of {@code services}, in order. */
    static List<KubeService> of(List<ServiceSpec> services, Map<String, PodSpec> pods) {
        List<KubeService> kube = new ArrayList<>();
        for (ServiceSpec s : services) {
            for (ServicePortSpec port : s.ports()) {
                List<KubeEndpoint> endpoints = new ArrayList<>();
                for (String pod : s.endpoints()) {
                    endpoints.add(new KubeEndpoint(pods.get(pod).ip(), port.targetPort()));
                }
                kube.add(new KubeService(
                        s.namespace(), s.name(), port.name(), port.protocol(), s.clusterIp(), port.port(), endpoints));
            }
        }
        return kube;
    }

    /** The NodePorts of {@code kube}, made by {@link #of} from the same {@code services}. */
    static List<KubeNodePort> nodePorts(List<ServiceSpec> services, List<KubeService> kube) {
        List<KubeNodePort> list = new ArrayList<>();
        int k = 0;
        for (ServiceSpec s : services) {
            for (ServicePortSpec port : s.ports()) {
                if (port.nodePort() != 0) {
                    list.add(new KubeNodePort(kube.get(k), port.nodePort()));
                }
                k++;
            }
        }
        return list;
    }
}
