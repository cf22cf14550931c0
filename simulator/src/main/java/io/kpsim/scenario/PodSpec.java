package io.kpsim.scenario;

import io.kpsim.packet.Ip4;
import java.util.Objects;

/**
 * One entry of {@code spec.pods}: a pod with one interface (a veth into its node) and its TCP stack.
 *
 * @param name DNS-1123 label, unique among pods and nodes
 * @param node name of an entry of {@code spec.nodes}
 * @param ip the pod IP ({@link Ip4} packed), inside its node's pod CIDR, unique
 * @param tcp socket settings ({@link TcpTuning#DEFAULT} when {@code tcp:} is absent)
 */
public record PodSpec(String name, String node, int ip, TcpTuning tcp) {

    /** Null checks only. */
    public PodSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(tcp, "tcp");
    }

    /** The address as a dotted quad. */
    public String ipText() {
        return Ip4.format(ip);
    }
}
