package io.kpsim.conntrack;

import io.kpsim.packet.Protocol;

/**
 * One conntrack entry as {@code conntrack -L} lists it: both tuples, the TCP state, the status
 * bits that matter here, and the seconds left before it expires.
 *
 * @param entry entry id
 * @param protocol layer-4 protocol
 * @param original {@code tuplehash[IP_CT_DIR_ORIGINAL]}
 * @param reply {@code tuplehash[IP_CT_DIR_REPLY]} (after NAT)
 * @param tcpState TCP state, or {@code null} for UDP/ICMP
 * @param assured {@code IPS_ASSURED}
 * @param seenReply {@code IPS_SEEN_REPLY} (printed as the absence of {@code [UNREPLIED]})
 * @param timeoutSeconds seconds until expiry, rounded down
 * @param zone the conntrack zone ({@code CT --zone}), 0 the default one, which {@code conntrack -L} does not print
 */
public record ConnSnapshot(
        int entry,
        Protocol protocol,
        Tuple original,
        Tuple reply,
        TcpState tcpState,
        boolean assured,
        boolean seenReply,
        long timeoutSeconds,
        int zone) {

    /** An entry of the default zone. */
    public ConnSnapshot(
            int entry,
            Protocol protocol,
            Tuple original,
            Tuple reply,
            TcpState tcpState,
            boolean assured,
            boolean seenReply,
            long timeoutSeconds) {
        this(entry, protocol, original, reply, tcpState, assured, seenReply, timeoutSeconds, 0);
    }

    /** The line {@code conntrack -L} prints for this entry. */
    public String conntrackLine() {
        StringBuilder s = new StringBuilder();
        String name = protocol.name().toLowerCase(java.util.Locale.ROOT);
        // libnetfilter_conntrack's __snprintf_protocol(): "%-8s %u " (read from conntrack -L 1.4.7 on
        // Linux 6.18: "udp      17 29 src=...", "tcp      6 431999 ESTABLISHED src=...")
        s.append(String.format("%-8s %d %d ", name, protocol.number(), timeoutSeconds));
        if (tcpState != null) {
            s.append(tcpState.name()).append(' ');
        }
        s.append(original.conntrackText()).append(' ');
        if (!seenReply) {
            s.append("[UNREPLIED] ");
        }
        s.append(reply.conntrackText());
        if (assured) {
            s.append(" [ASSURED]");
        }
        s.append(" mark=0");
        if (zone != 0) {
            s.append(" zone=").append(zone); // conntrack-tools prints a zone other than the default
        }
        s.append(" use=1");
        return s.toString();
    }
}
