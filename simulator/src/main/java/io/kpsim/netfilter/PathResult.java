package io.kpsim.netfilter;

import io.kpsim.conntrack.CtResult;
import io.kpsim.packet.Packet;
import java.util.List;

/**
 * What a node did with one packet: the verdict and who gave it, conntrack's view of the packet
 * (the ctstate {@code -m conntrack} saw in FORWARD/INPUT/OUTPUT), the packet after NAT, which NAT
 * manipulations ran or why NAT was skipped, and, when tracing, every step for narration.
 *
 * @param verdict ACCEPT (forwarded or delivered) or DROP
 * @param path which way the packet went through the node
 * @param outInterface the device it left by; {@code null} for local delivery or when dropped before routing
 * @param decidedBy the rule or policy that dropped it, or the filter rule or policy that accepted
 *                  it (an iptables filter-table rule, an nftables filter chain's); {@code null}
 *                  when no rule decided (conntrack drop, empty chains)
 * @param dropReason for a DROP, one line saying why, e.g.
 *                   {@code filter KUBE-FORWARD #1: -m conntrack --ctstate INVALID -j DROP} or
 *                   {@code conntrack: table full, dropping packet}; else {@code null}
 * @param ct conntrack's verdict for the packet (state, direction, entry, reason); {@code null}
 *           when the packet was dropped before conntrack saw it (raw or routing)
 * @param in the packet as it arrived
 * @param out the packet as it left (after NAT), or as it was when dropped
 * @param natApplied bits of the NAT manipulations done ({@link #dnat()}, {@link #snat()}, ...)
 * @param natSkipped why NAT did not touch the packet at all, e.g.
 *                   {@code INVALID: no conntrack, NAT skipped}; else {@code null}
 * @param reject what a reject sent back ({@code reject_with}), when a reject dropped it; else {@code null}
 * @param trace the steps, empty unless the datapath traces
 */
public record PathResult(
        Verdict verdict,
        Path path,
        String outInterface,
        DecidingRule decidedBy,
        String dropReason,
        CtResult ct,
        Packet in,
        Packet out,
        int natApplied,
        String natSkipped,
        RejectReply reject,
        List<TraceStep> trace) {

    /** The node's verdict. */
    public enum Verdict {
        /** Forwarded, delivered or sent. */
        ACCEPT,
        /** Dropped. */
        DROP
    }

    /** Which hooks the packet traversed. */
    public enum Path {
        /** PREROUTING, FORWARD, POSTROUTING. */
        FORWARD,
        /** PREROUTING, INPUT. */
        LOCAL_IN,
        /** OUTPUT, POSTROUTING. */
        LOCAL_OUT
    }

    /** Whether a reject dropped it (a reply may have been sent, {@link #reject()}). */
    public boolean rejected() {
        return reject != null;
    }

    /** Whether the packet was accepted. */
    public boolean accepted() {
        return verdict == Verdict.ACCEPT;
    }

    /** Whether the original-direction destination was rewritten (a Service's DNAT). */
    public boolean dnat() {
        return dnat(natApplied);
    }

    /** {@link #dnat()} of {@code natApplied} bits, read from a walk without its record. */
    public static boolean dnat(int natApplied) {
        return (natApplied & NatCore.APPLIED_DNAT) != 0;
    }

    /** Whether the original-direction source was rewritten (MASQUERADE, SNAT, a source-port remap). */
    public boolean snat() {
        return snat(natApplied);
    }

    /** {@link #snat()} of {@code natApplied} bits. */
    public static boolean snat(int natApplied) {
        return (natApplied & NatCore.APPLIED_SNAT) != 0;
    }

    /** Whether a reply was rewritten back (e.g. its source from the pod IP to the ClusterIP). */
    public boolean reverseNat() {
        return reverseNat(natApplied);
    }

    /** {@link #reverseNat()} of {@code natApplied} bits. */
    public static boolean reverseNat(int natApplied) {
        return (natApplied & NatCore.APPLIED_REVERSE) != 0;
    }

    /** Whether an ICMP error's quoted header was rewritten. */
    public boolean innerNat() {
        return (natApplied & NatCore.APPLIED_INNER) != 0;
    }

    /** The trace as lines, one step per line. */
    public String narrative() {
        StringBuilder s = new StringBuilder();
        for (TraceStep step : trace) {
            s.append(step).append('\n');
        }
        return s.toString();
    }
}
