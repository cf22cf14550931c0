package io.kpsim.report.html;

/**
 * What NAT did to a packet at a node, in the terms of {@code nf_nat_packet()}: a rewrite of the
 * original direction's destination (kube-proxy's DNAT to an endpoint) or source (MASQUERADE), the
 * reverse of those on a reply, nothing, or nothing because the packet carried no conntrack.
 */
public enum NatKind {
    /** No rewrite was needed. */
    NONE,
    /** The destination was rewritten (a Service's ClusterIP to an endpoint). */
    DNAT,
    /** The source was rewritten in the original direction. */
    SNAT,
    /** Both addresses were rewritten in the original direction. */
    DNAT_AND_SNAT,
    /** A reply's addresses were rewritten back (the endpoint's address to the ClusterIP). */
    REVERSE,
    /** No conntrack was attached (INVALID or UNTRACKED), so NAT never ran: "NAT skipped". */
    SKIPPED
}
