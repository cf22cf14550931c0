package io.kpsim.report.html;

import io.kpsim.packet.Packet;

/**
 * What became of one forged packet: where conntrack judged it last, what NAT did, whether a rule
 * dropped it, and what the receiving TCP stack did with it.
 *
 * @param timeNanos when the pod wrote it
 * @param pod the pod that wrote it
 * @param packet the packet as written
 * @param what the injection, in the trace's words (kind and connection)
 * @param node the last node it crossed, or {@code null} when it never reached one
 * @param verdict conntrack's verdict there, or {@code null}
 * @param nat NAT there, or {@code null}
 * @param end how its path ended
 * @param detail why it was dropped or lost, or the receiving stack's action; may be {@code null}
 */
public record InjectionOutcome(
        long timeNanos,
        String pod,
        Packet packet,
        String what,
        String node,
        CtVerdict verdict,
        NatRewrite nat,
        HopEnd end,
        String detail) {}
