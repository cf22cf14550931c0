package io.kpsim.netfilter;

/**
 * {@code -j REJECT [--reject-with TYPE]} ({@code reject_tg()} in
 * {@code net/ipv4/netfilter/ipt_REJECT.c}): drops the packet and sends back an ICMP
 * destination-unreachable ({@code nf_send_unreach()}) or a TCP reset ({@code nf_send_reset()}).
 * The reply itself is built and sent by the node ({@link Rejecter}), as for nftables' reject.
 * The kernel registers the target for the filter table only, at INPUT, FORWARD and OUTPUT, and
 * {@code reject_tg_check()} refuses {@code tcp-reset} unless the rule says {@code -p tcp}.
 *
 * @param with what goes back; iptables' default is {@code icmp-port-unreachable}
 */
public record RejectTarget(RejectWith with) implements Target {

    @Override
    public TargetKind kind() {
        return TargetKind.REJECT;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j REJECT --reject-with ").append(with);
    }

    /**
     * The {@code --reject-with} value as {@code libipt_REJECT} reads it: the long names
     * iptables-save prints and their short aliases ({@code port-unreach}, {@code tcp-rst}, ...).
     *
     * @throws IllegalArgumentException for any other word
     */
    public static RejectWith parseWith(String word) {
        return switch (word) {
            case "icmp-net-unreachable", "net-unreach" -> RejectWith.icmp(RejectWith.NET_UNREACHABLE);
            case "icmp-host-unreachable", "host-unreach" -> RejectWith.icmp(RejectWith.HOST_UNREACHABLE);
            case "icmp-proto-unreachable", "proto-unreach" -> RejectWith.icmp(RejectWith.PROT_UNREACHABLE);
            case "icmp-port-unreachable", "port-unreach" -> RejectWith.icmp(RejectWith.PORT_UNREACHABLE);
            case "icmp-net-prohibited", "net-prohib" -> RejectWith.icmp(RejectWith.NET_PROHIBITED);
            case "icmp-host-prohibited", "host-prohib" -> RejectWith.icmp(RejectWith.HOST_PROHIBITED);
            case "icmp-admin-prohibited", "admin-prohib" -> RejectWith.icmp(RejectWith.ADMIN_PROHIBITED);
            case "tcp-reset", "tcp-rst" -> RejectWith.TCP_RESET;
            default ->
                throw new IllegalArgumentException("REJECT: --reject-with '" + word
                        + "' is not a reject type (icmp-net-unreachable, icmp-host-unreachable,"
                        + " icmp-proto-unreachable, icmp-port-unreachable, icmp-net-prohibited,"
                        + " icmp-host-prohibited, icmp-admin-prohibited, tcp-reset)");
        };
    }
}
