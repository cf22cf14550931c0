package io.kpsim.netfilter;

import io.kpsim.packet.Cidr;

/**
 * A route of the node's main table: packets for {@code destination} leave by {@code outInterface}.
 * The most specific matching prefix wins ({@code fib_table_lookup()}).
 *
 * @param destination the prefix
 * @param outInterface the device
 */
public record Route(Cidr destination, String outInterface) {

    /** Validates. */
    public Route {
        if (destination == null || outInterface == null || outInterface.isEmpty()) {
            throw new IllegalArgumentException("a route needs a destination prefix and an interface");
        }
    }
}
