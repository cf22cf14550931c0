package io.kpsim.netfilter;

/**
 * The node's routing as the hooks need it: which addresses are local ({@code RTN_LOCAL}), which
 * device a destination is routed out of ({@code fib_lookup()}), and a device's address
 * ({@code inet_select_addr()}). Implemented by {@link NodeAddresses}, for a {@link NodeDatapath}.
 */
interface Routing {

    /** Whether {@code address} is one of the node's own. */
    boolean isLocal(int address);

    /** The device a packet for {@code dst} leaves by, {@code lo} for a local address, {@code null} without a route. */
    String route(int dst);

    /** The primary address of {@code device}, 0 when it has none. */
    int address(String device);
}
