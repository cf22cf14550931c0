package io.kpsim.oracle;

import io.kpsim.netfilter.RejectWith;
import io.kpsim.netfilter.TraceOutcome;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import java.util.List;

/**
 * Whether what {@code kpsim trace} answers for a probe ({@link io.kpsim.netfilter.PacketTracer}'s
 * outcomes) agrees with what the kernel did with it (an {@link NftOutcome} line read back from the
 * namespaces): one of the outcomes must end exactly as the kernel's packet did (the same forwarded
 * copy, reply or drop) and have the trace's own fields as the kernel's packet shows them:
 * {@code verdict}, {@code local}, {@code dnat} (the destination the kernel rewrote to, or none),
 * {@code snat} (the source address the kernel rewrote to, or none; {@code masquerade} only with
 * one) and {@code reject_with} (the kernel's ICMP code or reset).
 */
final class TraceAgreement {

    private TraceAgreement() {}

    /** {@code null} when an outcome agrees with {@code kernel}; else what the trace said. */
    static String check(Packet probe, String kernel, List<TraceOutcome> outcomes) {
        StringBuilder said = new StringBuilder();
        for (TraceOutcome o : outcomes) {
            String line = NftOutcome.of(probe, o);
            String fields = fields(probe, kernel, o);
            if (line.equals(kernel) && fields == null) {
                return null;
            }
            said.append("\n    ")
                    .append(String.format(java.util.Locale.ROOT, "%.2f%%", o.probability() * 100))
                    .append(' ')
                    .append(line)
                    .append(" / ")
                    .append(o.summary())
                    .append(fields == null ? "" : " (" + fields + ")");
        }
        return "trace:" + said;
    }

    /** {@code null} when {@code o}'s fields say what the kernel's line shows; else the first that does not. */
    static String fields(Packet probe, String kernel, TraceOutcome o) {
        String[] w = kernel.split(" ");
        boolean replied = o.verdict() == TraceOutcome.Verdict.REJECT && o.rejectReply() != null;
        String verdict = switch (w[0]) {
            case NftOutcome.LOCAL, "FORWARD" -> "ACCEPT";
            case "REJECT" -> "REJECT";
            default -> "DROP";
        };
        String traced = o.verdict() == TraceOutcome.Verdict.REJECT && !replied
                ? "DROP"
                : o.verdict().name();
        if (!verdict.equals(traced)) {
            return "verdict " + o.verdict();
        }
        if (o.local() != w[0].equals(NftOutcome.LOCAL)) {
            return "local " + o.local();
        }
        if (o.masquerade() && o.snat() == null) {
            return "masquerade without snat";
        }
        switch (w[0]) {
            case "FORWARD" -> {
                String sent = endpoint(probe.protocol(), probe.dstIp(), probe.dstPort());
                String dnat = w[4].equals(sent) ? null : w[4];
                if (!java.util.Objects.equals(dnat, o.dnat())) {
                    return "dnat " + o.dnat();
                }
                String from = address(w[2]);
                String snat = from.equals(Ip4.format(probe.srcIp())) ? null : from;
                String tracedSnat = o.snat() == null ? null : address(o.snat());
                if (!java.util.Objects.equals(snat, tracedSnat)) {
                    return "snat " + o.snat();
                }
            }
            case NftOutcome.LOCAL -> {
                if (o.dnat() != null && !isNode(address(o.dnat()))) {
                    return "dnat " + o.dnat() + " but delivered to the node";
                }
            }
            case "REJECT" -> {
                String with = w[1].equals("tcp")
                        ? RejectWith.TCP_RESET.toString()
                        : RejectWith.icmp(Integer.parseInt(w[2].substring(w[2].indexOf('/') + 1)))
                                .toString();
                if (!with.equals(o.rejectWith())) {
                    return "reject_with " + o.rejectWith();
                }
            }
            default -> {
                if (o.dnat() != null && o.verdict() == TraceOutcome.Verdict.ACCEPT) {
                    return "accepted";
                }
            }
        }
        return null;
    }

    private static boolean isNode(String ip) {
        int a = Ip4.parse(ip);
        return a == NftOraclePlan.NODE_IP || a == NftOraclePlan.NODE_POD_SIDE_IP;
    }

    private static String address(String endpoint) {
        int colon = endpoint.indexOf(':');
        return colon < 0 ? endpoint : endpoint.substring(0, colon);
    }

    private static String endpoint(Protocol p, int ip, int port) {
        return p == Protocol.TCP || p == Protocol.UDP ? Ip4.format(ip, port) : Ip4.format(ip);
    }
}
