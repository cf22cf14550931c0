package io.kpsim.oracle;

import io.kpsim.replay.ServiceMapping;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which side of the node each captured packet enters from, and which addresses the node must
 * route to which side. Client IPs live behind the client-side veth; pod IPs (service endpoints)
 * behind the server-side veth; a ClusterIP lives nowhere, it is only matched by the DNAT rules,
 * but it is routed to the server side so that a client packet left un-NATed (INVALID) is still
 * forwarded, as DESIGN.md's replay assumes.
 *
 * <p>Rule: a packet comes from the server side when its source is an endpoint IP; an ICMP error
 * also when it quotes a packet sent to an endpoint or a ClusterIP. Everything else comes from the
 * client side. Destinations of client-side packets are routed to the server side and vice versa.
 * The {@link Sentinel} gets addresses that no packet, quoted header or service uses.
 */
final class AddressPlan {

    /** The two harness-facing sides of the node. */
    enum Side {
        CLIENT,
        SERVER;

        Side other() {
            return this == CLIENT ? SERVER : CLIENT;
        }
    }

    private final Set<Integer> endpointIps = new TreeSet<>();
    private final Set<Integer> vips = new TreeSet<>();
    private final Set<Integer> serverSide = new TreeSet<>();
    private final Set<Integer> clientSide = new TreeSet<>();
    private final Sentinel sentinel;

    /** A plan for {@code services} and every replayable packet of every capture. */
    AddressPlan(List<ServiceMapping> services, List<WireIpv4> packets) {
        for (ServiceMapping s : services) {
            vips.add(s.vip());
            for (ServiceMapping.Endpoint e : s.endpoints()) {
                endpointIps.add(e.ip());
            }
        }
        serverSide.addAll(endpointIps);
        serverSide.addAll(vips);
        for (WireIpv4 p : packets) {
            if (side(p) == Side.CLIENT) {
                clientSide.add(p.srcIp());
                serverSide.add(p.dstIp());
            } else {
                serverSide.add(p.srcIp());
                clientSide.add(p.dstIp());
            }
        }
        clientSide.removeAll(serverSide);
        Set<Integer> used = new TreeSet<>(serverSide);
        used.addAll(clientSide);
        for (WireIpv4 p : packets) {
            if (p.inner() != null) {
                used.add(p.inner().srcIp());
                used.add(p.inner().dstIp());
            }
        }
        sentinel = Sentinel.avoiding(used);
    }

    /** The sentinel packet's addresses, none of them used by the captures or services. */
    Sentinel sentinel() {
        return sentinel;
    }

    /** The side {@code packet} is injected on. */
    Side side(WireIpv4 packet) {
        if (endpointIps.contains(packet.srcIp())) {
            return Side.SERVER;
        }
        WireIpv4 inner = packet.inner();
        if (inner != null && (endpointIps.contains(inner.dstIp()) || vips.contains(inner.dstIp()))) {
            return Side.SERVER;
        }
        return Side.CLIENT;
    }

    /** Addresses routed to {@code side}, ascending (deterministic rule order). */
    Set<Integer> routedTo(Side side) {
        return side == Side.CLIENT ? clientSide : serverSide;
    }
}
