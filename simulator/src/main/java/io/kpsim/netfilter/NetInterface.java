package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;

/**
 * A network device of the node with its primary IPv4 address: what {@code -i}/{@code -o}
 * match, what MASQUERADE picks as the new source ({@code inet_select_addr()}), and a local address.
 *
 * @param name the device name, e.g. {@code eth0} or {@code cni0}
 * @param address its primary address, 0 when it has none
 */
public record NetInterface(String name, int address) {

    /** Validates the name. */
    public NetInterface {
        if (name == null || name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("interface name '" + name + "' must be 1..15 characters");
        }
    }

    @Override
    public String toString() {
        return name + " " + Ip4.format(address);
    }
}
