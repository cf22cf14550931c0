package io.kpsim.netfilter;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A node's devices, their addresses and its routing table: which addresses are local
 * ({@code inet_addr_type() == RTN_LOCAL}, with a device {@code inet_dev_addr_type()}), which device a
 * destination leaves by (the longest matching prefix, as {@code fib_table_lookup()} picks it), and a
 * device's address ({@code inet_select_addr()}, what MASQUERADE takes). Split out of
 * {@link NodeDatapath}, which walks packets; this only answers where they go. Immutable.
 */
final class NodeAddresses implements LocalAddresses {

    /** Arrays, not lists: every packet scans them, and a for-each over an array needs no iterator. */
    private final NetInterface[] interfaces;

    private final Route[] routes;

    /**
     * @throws IllegalArgumentException when a device name repeats or a route names an unknown device
     */
    NodeAddresses(List<NetInterface> interfaces, List<Route> routes) {
        Set<String> names = new HashSet<>();
        for (NetInterface i : interfaces) {
            if (!names.add(i.name())) {
                throw new IllegalArgumentException("interface " + i.name() + " defined twice");
            }
        }
        for (Route r : routes) {
            if (!names.contains(r.outInterface()) && !r.outInterface().equals("lo")) {
                throw new IllegalArgumentException(
                        "route " + r.destination() + " via unknown interface " + r.outInterface() + " (interfaces: "
                                + String.join(", ", names.stream().sorted().toList()) + ")");
            }
        }
        this.interfaces = interfaces.toArray(new NetInterface[0]);
        this.routes = routes.toArray(new Route[0]);
    }

    /** The devices with their primary addresses. */
    List<NetInterface> interfaces() {
        return List.of(interfaces);
    }

    /** The routing table. */
    List<Route> routes() {
        return List.of(routes);
    }

    /** Whether {@code address} is one of the node's (a device address or 127.0.0.0/8). */
    @Override
    public boolean isLocal(int address) {
        if ((address >>> 24) == 127) {
            return true;
        }
        for (NetInterface i : interfaces) {
            if (i.address() == address && address != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code address} is configured on {@code device} (127.0.0.0/8 on {@code lo}); an alias label such as
     * {@code eth0:1} is an address of {@code eth0}, as {@code ifa_label} is of {@code ifa_dev} in the kernel.
     */
    @Override
    public boolean isLocalOn(int address, String device) {
        if ((address >>> 24) == 127) {
            return "lo".equals(device);
        }
        for (NetInterface i : interfaces) {
            String name = i.name();
            int colon = name.indexOf(':');
            String dev = colon < 0 ? name : name.substring(0, colon);
            if (i.address() == address && address != 0 && dev.equals(device)) {
                return true;
            }
        }
        return false;
    }

    /** The device a packet for {@code dst} leaves by (longest prefix), or {@code null} without a route. */
    String route(int dst) {
        Route best = null;
        for (Route r : routes) {
            if (r.destination().contains(dst)
                    && (best == null
                            || r.destination().prefixLength()
                                    > best.destination().prefixLength())) {
                best = r;
            }
        }
        return best == null ? null : best.outInterface();
    }

    /** The address of device {@code name}, or 0 when it has none. */
    int address(String name) {
        for (NetInterface i : interfaces) {
            if (i.name().equals(name)) {
                return i.address();
            }
        }
        return 0;
    }

    /** The hooks' view: local addresses leave by {@code lo}, the rest by the table. */
    Routing routing() {
        return new Routing() {
            @Override
            public boolean isLocal(int address) {
                return NodeAddresses.this.isLocal(address);
            }

            @Override
            public String route(int dst) {
                return NodeAddresses.this.isLocal(dst) ? "lo" : NodeAddresses.this.route(dst);
            }

            @Override
            public int address(String device) {
                return NodeAddresses.this.address(device);
            }
        };
    }
}
