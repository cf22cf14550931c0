package io.kpsim.netfilter;

/**
 * Which addresses the node owns: the answer of {@code inet_addr_type() == RTN_LOCAL}, used by
 * {@code -m addrtype} and by the routing decision (local delivery or forward).
 */
@FunctionalInterface
public interface LocalAddresses {

    /** Whether {@code address} is local to the node. */
    boolean isLocal(int address);

    /**
     * Whether {@code address} is local and configured on {@code device}: {@code inet_dev_addr_type()} with a device,
     * as {@code -m addrtype --limit-iface-in/out} asks it (127.0.0.0/8 is on {@code lo}). This default is for a node
     * whose device map is unknown (a bare lambda in a unit test): there every local address counts for every device.
     */
    default boolean isLocalOn(int address, String device) {
        return isLocal(address);
    }
}
