package io.kpsim.netfilter;

/**
 * {@code struct nf_nat_range2} restricted to one address: what a NAT target asks
 * {@code nf_nat_setup_info()} for.
 *
 * @param ip the address to map to ({@code NF_NAT_RANGE_MAP_IPS}, min = max)
 * @param minPort lowest port when {@code protoSpecified}
 * @param maxPort highest port when {@code protoSpecified}
 * @param protoSpecified {@code NF_NAT_RANGE_PROTO_SPECIFIED}: the port (or ICMP id) must lie in the range
 * @param randomAll {@code NF_NAT_RANGE_PROTO_RANDOM_ALL} (e.g. {@code --random-fully}): always draw the port
 */
record NatRange(int ip, int minPort, int maxPort, boolean protoSpecified, boolean randomAll) {

    /** A single address, any port. */
    static NatRange address(int ip) {
        return new NatRange(ip, 0, 0, false, false);
    }
}
