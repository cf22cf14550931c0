package io.kpsim.report.html;

/**
 * The NAT rewrite of one packet at one node: its addresses as it arrived and as it left.
 *
 * @param kind what kind of rewrite it was
 * @param beforeSource the source as the packet arrived
 * @param beforeDestination the destination as the packet arrived
 * @param afterSource the source as it left
 * @param afterDestination the destination as it left
 */
public record NatRewrite(
        NatKind kind, Address beforeSource, Address beforeDestination, Address afterSource, Address afterDestination) {

    /**
     * The short form the ladder prints: {@code 10.96.0.10:80 → 10.244.2.2:8080} for a DNAT (the
     * address that changed), {@code NAT skipped} for a packet without conntrack, {@code no NAT}.
     */
    public String label() {
        switch (kind) {
            case NONE:
                return "no NAT";
            case SKIPPED:
                return "NAT skipped";
            case DNAT:
                return beforeDestination + " \u2192 " + afterDestination;
            case SNAT:
            case REVERSE:
                return beforeSource + " \u2192 " + afterSource;
            case DNAT_AND_SNAT:
                return beforeDestination + " \u2192 " + afterDestination + ", " + beforeSource + " \u2192 "
                        + afterSource;
            default:
                throw new IllegalStateException("unhandled NAT kind " + kind);
        }
    }

    /** The long form for the packet panel, naming the kind: {@code DNAT 10.96.0.10:80 → 10.244.2.2:8080}. */
    public String description() {
        switch (kind) {
            case NONE:
                return "no NAT: the packet left as it came";
            case SKIPPED:
                return "NAT skipped: no conntrack is attached to the packet, so no NAT hook rewrites it";
            case DNAT:
                return "DNAT " + label();
            case SNAT:
                return "SNAT " + label();
            case DNAT_AND_SNAT:
                return "DNAT and SNAT " + label();
            case REVERSE:
                return "reverse NAT " + label() + " (the reply leaves with the address its client talked to)";
            default:
                throw new IllegalStateException("unhandled NAT kind " + kind);
        }
    }
}
