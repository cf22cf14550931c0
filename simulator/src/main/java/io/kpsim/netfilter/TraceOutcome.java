package io.kpsim.netfilter;

import io.kpsim.packet.Packet;
import java.util.List;

/**
 * One way a traced packet can end ({@link PacketTracer}): its fate, the NAT it got, whether it was
 * delivered to the node, and every step that led there, with the probability of the
 * {@code -m statistic} branches that lead to it.
 *
 * @param probability the chance of this outcome, 0..1 (the sum over a trace's outcomes is 1)
 * @param verdict the packet's fate
 * @param dnat the {@code ip:port} (or {@code ip}) it was DNATed to, or {@code null}
 * @param snat the source it leaves with when SNAT or MASQUERADE rewrote it, or {@code null}
 * @param masquerade whether a MASQUERADE rewrote its source in POSTROUTING
 * @param local whether it was delivered to the node (walked INPUT and was accepted)
 * @param rejectWith what a REJECT sent back ({@code icmp-port-unreachable}, {@code tcp-reset}, ...), or {@code null}
 * @param outInterface the device it left by, or {@code null} (delivered locally, dropped)
 * @param reason for a drop or reject, the line saying why; else {@code null}
 * @param hooks the hooks it walked, in order
 * @param steps every rule it matched and every other thing that happened to it, in order
 * @param sent the packet as it left the node or was delivered to it (its NAT applied), or {@code null} when
 *     dropped
 * @param rejectReply the ICMP error or TCP reset a REJECT sent back, as it left the node, or {@code null}
 */
public record TraceOutcome(
        double probability,
        Verdict verdict,
        String dnat,
        String snat,
        boolean masquerade,
        boolean local,
        String rejectWith,
        String outInterface,
        String reason,
        List<Hook> hooks,
        List<TraceStep> steps,
        Packet sent,
        Packet rejectReply) {

    /** The packet's final fate, as {@code kpsim trace} names it. */
    public enum Verdict {
        /** Forwarded, sent, or delivered to the node. */
        ACCEPT,
        /** Dropped without a reply. */
        DROP,
        /** Dropped by a REJECT, which sent an ICMP error or a TCP reset back. */
        REJECT
    }

    /** Copies the lists. */
    public TraceOutcome {
        hooks = List.copyOf(hooks);
        steps = List.copyOf(steps);
    }

    /** The same outcome with another probability. */
    TraceOutcome withProbability(double p) {
        return new TraceOutcome(
                p,
                verdict,
                dnat,
                snat,
                masquerade,
                local,
                rejectWith,
                outInterface,
                reason,
                hooks,
                steps,
                sent,
                rejectReply);
    }

    /** Whether {@code o} ends the same way (everything but the probability and the steps). */
    boolean sameEnd(TraceOutcome o) {
        return verdict == o.verdict
                && java.util.Objects.equals(dnat, o.dnat)
                && java.util.Objects.equals(snat, o.snat)
                && masquerade == o.masquerade
                && local == o.local
                && java.util.Objects.equals(rejectWith, o.rejectWith)
                && java.util.Objects.equals(outInterface, o.outInterface)
                && java.util.Objects.equals(reason, o.reason);
    }

    /** E.g. {@code ACCEPT, DNAT to 10.180.0.4:80, masquerade as 192.168.0.2:40000, out eth0}. */
    public String summary() {
        StringBuilder s = new StringBuilder(verdict.name());
        if (dnat != null) {
            s.append(", DNAT to ").append(dnat);
        }
        if (snat != null) {
            s.append(masquerade ? ", masquerade as " : ", SNAT to ").append(snat);
        }
        if (rejectWith != null) {
            s.append(", ").append(rejectWith).append(" sent back");
        }
        if (local) {
            s.append(", delivered to the node");
        } else if (outInterface != null) {
            s.append(", out ").append(outInterface);
        }
        if (reason != null && verdict != Verdict.ACCEPT) {
            s.append(" (").append(reason).append(')');
        }
        return s.toString();
    }
}
