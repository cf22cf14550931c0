package io.kpsim.replay;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's services as addresses a packet can be checked against: which ClusterIP and port a
 * packet is for (to find the node's MAC in an Ethernet capture, to warn about a service no packet
 * used, and for {@code kpsim diagnose}).
 */
final class ServiceSet {

    private final Map<Long, ServiceMapping> byFront = new LinkedHashMap<>();
    /**
     * The fronts' keys sorted, and their services in the same order: every replayed packet is
     * looked up, so the lookup is a binary search on primitives (no boxed key per packet).
     */
    private final long[] sortedKeys;

    private final ServiceMapping[] sortedServices;

    ServiceSet(List<ServiceMapping> services) {
        for (ServiceMapping s : services) {
            byFront.put(key(s.vip(), s.port()), s);
        }
        sortedKeys = new long[byFront.size()];
        sortedServices = new ServiceMapping[byFront.size()];
        int n = 0;
        for (Map.Entry<Long, ServiceMapping> e : new TreeMap<>(byFront).entrySet()) {
            sortedKeys[n] = e.getKey();
            sortedServices[n++] = e.getValue();
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
        int i = Arrays.binarySearch(sortedKeys, key(ip, port));
        return i >= 0 ? sortedServices[i] : null;
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
