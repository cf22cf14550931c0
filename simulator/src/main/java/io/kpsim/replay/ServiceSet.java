package io.kpsim.replay;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node's services as addresses a packet can be checked against: which ClusterIP and port a
 * packet is for (to find the node's MAC in an Ethernet capture, to warn about a service no packet
 * used, and for {@code kpsim diagnose}).
 */
final class ServiceSet {

    private final Map<Long, ServiceMapping> byFront = new LinkedHashMap<>();
    private final Set<Integer> vips = new HashSet<>();

    ServiceSet(List<ServiceMapping> services) {
        for (ServiceMapping s : services) {
            byFront.put(key(s.vip(), s.port()), s);
            vips.add(s.vip());
        }
    }

    private static long key(int ip, int port) {
        return ((ip & 0xffffffffL) << 16) | port;
    }

    /** Whether the node has any service. */
    boolean isEmpty() {
        return byFront.isEmpty();
    }

    /** The service {@code ip:port} is the front of, or {@code null}. */
    ServiceMapping at(int ip, int port) {
        return vips.contains(ip) ? byFront.get(key(ip, port)) : null;
    }

    /** The service a TCP or UDP packet is addressed to, or {@code null}. */
    ServiceMapping addressedTo(Packet p) {
        Protocol proto = p.protocol();
        if (proto != Protocol.TCP && proto != Protocol.UDP) {
            return null;
        }
        return at(p.dstIp(), p.dstPort());
    }

    /** The service a TCP or UDP packet comes from (a reply after reverse NAT), or {@code null}. */
    ServiceMapping comingFrom(Packet p) {
        Protocol proto = p.protocol();
        if (proto != Protocol.TCP && proto != Protocol.UDP) {
            return null;
        }
        return at(p.srcIp(), p.srcPort());
    }

    /** Every service, in the order given. */
    List<ServiceMapping> all() {
        return new ArrayList<>(byFront.values());
    }

    /** {@code 10.96.0.10:80, 10.96.0.11:53} for a message. */
    String fronts() {
        List<String> parts = new ArrayList<>();
        for (ServiceMapping s : byFront.values()) {
            parts.add(Ip4.format(s.vip(), s.port()));
        }
        return String.join(", ", parts);
    }
}
