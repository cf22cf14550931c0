package io.kpsim.netfilter;

/**
 * Which addresses the node owns: the answer of {@code inet_addr_type() == RTN_LOCAL}, used by
 * {@code -m addrtype --dst-type LOCAL} and by the routing decision (local delivery or forward).
 */
@FunctionalInterface
public interface LocalAddresses {

    /** Whether {@code address} is local to the node. */
    boolean isLocal(int address);
}
