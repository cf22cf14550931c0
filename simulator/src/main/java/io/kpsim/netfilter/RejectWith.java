package io.kpsim.netfilter;

/**
 * What a reject sends back ({@code nft_reject_ipv4_eval()}, {@code reject_tg()}): an ICMP
 * destination-unreachable with a code ({@code nf_send_unreach()}) or a TCP reset
 * ({@code nf_send_reset()}).
 *
 * @param tcpReset whether it is a TCP reset
 * @param icmpCode the ICMP code of a destination-unreachable (ignored for a reset)
 */
public record RejectWith(boolean tcpReset, int icmpCode) {

    /** {@code ICMP_NET_UNREACH}. */
    public static final int NET_UNREACHABLE = 0;
    /** {@code ICMP_HOST_UNREACH}. */
    public static final int HOST_UNREACHABLE = 1;
    /** {@code ICMP_PROT_UNREACH}. */
    public static final int PROT_UNREACHABLE = 2;
    /** {@code ICMP_PORT_UNREACH}. */
    public static final int PORT_UNREACHABLE = 3;
    /** {@code ICMP_NET_ANO}. */
    public static final int NET_PROHIBITED = 9;
    /** {@code ICMP_HOST_ANO}. */
    public static final int HOST_PROHIBITED = 10;
    /** {@code ICMP_PKT_FILTERED}. */
    public static final int ADMIN_PROHIBITED = 13;

    /** A TCP reset. */
    public static final RejectWith TCP_RESET = new RejectWith(true, 0);

    /** An ICMP destination-unreachable with {@code code}. */
    public static RejectWith icmp(int code) {
        return new RejectWith(false, code);
    }

    /** E.g. {@code icmp-port-unreachable} or {@code tcp-reset}, as iptables' {@code --reject-with} names them. */
    @Override
    public String toString() {
        if (tcpReset) {
            return "tcp-reset";
        }
        return switch (icmpCode) {
            case NET_UNREACHABLE -> "icmp-net-unreachable";
            case HOST_UNREACHABLE -> "icmp-host-unreachable";
            case PROT_UNREACHABLE -> "icmp-proto-unreachable";
            case PORT_UNREACHABLE -> "icmp-port-unreachable";
            case NET_PROHIBITED -> "icmp-net-prohibited";
            case HOST_PROHIBITED -> "icmp-host-prohibited";
            case ADMIN_PROHIBITED -> "icmp-admin-prohibited";
            default -> "icmp-unreachable-code-" + icmpCode;
        };
    }
}
