package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.engine.Durations;

/**
 * One line per hop of a packet's path, in the words a network engineer reads a trace in: which
 * node or pod, which hook, table, chain and rule, the conntrack state, what NAT did or why it was
 * skipped, and where the packet went. Link hops that did nothing noteworthy (a plain send and
 * delivery) are left out; losses, duplicates and hold-backs are kept.
 */
final class HopText {

    private HopText() {}

    /**
     * The line for {@code e}, or {@code null} when the hop is not worth a line; TCP numbers as
     * {@code numbers} prints them.
     */
    static String line(TraceEvent e, SeqNumbers numbers) {
        String t = time(e.timeNanos());
        return switch (e.point()) {
            case POD_SEND -> t + "  " + e.where() + ": sends " + numbers.summary(e);
            case POD_INJECT ->
                t + "  " + e.where() + ": writes from a raw socket " + numbers.summary(e)
                        + (e.detail() == null ? "" : " (" + e.detail() + ")");
            case LINK_SEND, LINK_DELIVER -> null;
            case LINK_QUEUE_DROP -> t + "  link " + e.where() + ": queue full, packet dropped";
            case LINK_LOSS -> t + "  link " + e.where() + ": packet lost";
            case LINK_DUPLICATE -> t + "  link " + e.where() + ": packet duplicated";
            case LINK_HOLD_BACK ->
                t + "  link " + e.where() + ": packet held back" + (e.detail() == null ? "" : " (" + e.detail() + ")");
            case NODE_HOOK -> t + "  " + e.where() + ": " + e.detail();
            case NODE_ROUTE ->
                t + "  " + e.where() + ": " + nat(e) + "; routed " + e.detail() + " as " + numbers.summary(e);
            case NODE_DROP -> t + "  " + e.where() + ": DROPPED (" + e.detail() + ")";
            case POD_RECEIVE -> t + "  " + e.where() + ": receives " + numbers.summary(e);
            case SOCKET -> t + "  " + e.where() + ": TCP " + e.detail();
        };
    }

    /** Simulated time as seconds with microseconds, e.g. {@code 2.000314s}. */
    static String time(long nanos) {
        return nanos / Durations.NANOS_PER_SECOND + "."
                + String.format("%06d", nanos % Durations.NANOS_PER_SECOND / Durations.NANOS_PER_MICRO) + "s";
    }

    /** What NAT did at a routing step, or that it did nothing. */
    static String nat(TraceEvent e) {
        return natOrNone(e.nat());
    }

    /** {@code nat}, or "no NAT" when nothing was done. */
    static String natOrNone(String nat) {
        return nat == null ? "no NAT" : nat;
    }

    /** The packet in tcpdump's words, without the leading {@code IP }. */
    static String summary(TraceEvent e) {
        if (e.packet() == null) {
            return "";
        }
        String s = e.packet().summary();
        return s.startsWith("IP ") ? s.substring(3) : s;
    }
}
