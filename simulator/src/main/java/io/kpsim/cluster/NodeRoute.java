package io.kpsim.cluster;

import io.kpsim.packet.Cidr;

/**
 * One route a node's table gets on top of the ones a host-gateway CNI installs ({@code ip route
 * replace DESTINATION via NEXT_HOP dev IFACE}): packets for {@code destination} leave towards node
 * {@code via}, over the named second link to it when {@code link} is given, else over the first.
 * A route for a prefix the CNI already routes replaces that route, as {@code ip route replace}
 * does; the longest prefix still wins ({@code fib_table_lookup}).
 *
 * <p>This is how a topology routes one direction of a connection through a third node while the
 * other direction goes straight back (kubernetes issue 94861): the third node's conntrack then
 * sees only half of the connection.
 *
 * @param destination the prefix
 * @param via the next-hop node, which must have a link from this node
 * @param link the name of a second link to {@code via} ({@link ClusterBuilder#secondLink}), or
 *             {@code ""} for the first
 */
public record NodeRoute(Cidr destination, String via, String link) {

    /** Validates. */
    public NodeRoute {
        if (destination == null) {
            throw new IllegalArgumentException("a route needs a destination");
        }
        Names.check(via, "next hop of route " + destination);
        link = link == null ? "" : link;
    }
}
