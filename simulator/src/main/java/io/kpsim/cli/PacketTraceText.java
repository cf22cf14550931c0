package io.kpsim.cli;

import io.kpsim.netfilter.Hook;
import io.kpsim.netfilter.TraceOutcome;
import io.kpsim.netfilter.TraceStep;
import io.kpsim.packet.Packet;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kpsim trace}'s text: the packet, then each outcome with its probability and its steps,
 * one per line in the words of {@code iptables -j TRACE} / {@code xtables-monitor --trace}
 * ({@code nat:KUBE-SVC-XXXX:rule:2}) with what the rule did and, under it, the rule as
 * {@code iptables-save} prints it; last the summary fields ({@code verdict}, {@code dnat}, ...)
 * that {@code --format json} gives the same names.
 */
final class PacketTraceText {

    private PacketTraceText() {}

    static String render(PacketTrace t) {
        StringBuilder s = new StringBuilder(4096);
        Packet p = t.probe().packet();
        s.append("packet: ")
                .append(p.summary())
                .append(" (ttl ")
                .append(p.ttl())
                .append(", IP length ")
                .append(p.totalLength())
                .append(')');
        if (t.probe().mark() != 0) {
            s.append(", mark 0x").append(Integer.toHexString(t.probe().mark()));
        }
        s.append(", ctstate ").append(t.ctstate());
        s.append(
                t.probe().inInterface() == null
                        ? ", from the node itself"
                        : ", in " + t.probe().inInterface());
        s.append('\n').append("rules: ").append(t.source()).append('\n');
        List<TraceOutcome> outcomes = t.outcomes();
        for (int i = 0; i < outcomes.size(); i++) {
            TraceOutcome o = outcomes.get(i);
            s.append('\n')
                    .append("outcome ")
                    .append(i + 1)
                    .append(" of ")
                    .append(outcomes.size())
                    .append(" (")
                    .append(PacketTrace.percent(o.probability()))
                    .append("): ")
                    .append(o.summary())
                    .append('\n');
            List<String> hooks = new ArrayList<>();
            o.hooks().forEach(h -> hooks.add(h.name()));
            s.append("  path: ").append(String.join(" > ", hooks)).append('\n');
            steps(s, t, o.steps());
        }
        TraceOutcome main = t.main();
        s.append('\n').append("verdict: ").append(main.verdict()).append('\n');
        List<String> dnat = new ArrayList<>();
        for (String d : t.dnat()) {
            dnat.add(t.outcomes().size() == 1 ? d : d + " (" + PacketTrace.percent(t.dnatProbability(d)) + ")");
        }
        s.append("dnat: ")
                .append(dnat.isEmpty() ? "none" : String.join(", ", dnat))
                .append('\n');
        s.append("masquerade: ").append(main.masquerade() ? "yes" : "no").append('\n');
        s.append("snat: ").append(main.snat() == null ? "none" : main.snat()).append('\n');
        s.append("local: ").append(main.local() ? "yes" : "no").append('\n');
        s.append("reject_with: ")
                .append(main.rejectWith() == null ? "none" : main.rejectWith())
                .append('\n');
        return s.toString();
    }

    private static void steps(StringBuilder s, PacketTrace t, List<TraceStep> steps) {
        int width = 0;
        for (TraceStep step : steps) {
            width = Math.max(width, t.where(step).length());
        }
        boolean reply = false;
        for (TraceStep step : steps) {
            String where = t.where(step);
            s.append("  ").append(pad(step.hook().name(), 12)).append(pad(where, width + 2));
            s.append(step.action() == null ? "" : step.action());
            if (reply && step.hook() != Hook.OUTPUT && step.hook() != Hook.POSTROUTING) {
                reply = false;
            }
            if (reply) {
                s.append("  (the reject's reply)");
            }
            s.append('\n');
            if (step.rule() != null) {
                String chain = step.chainPath().get(step.chainPath().size() - 1);
                s.append("  ")
                        .append(" ".repeat(12 + width + 2))
                        .append("-A ")
                        .append(chain)
                        .append(' ')
                        .append(step.rule())
                        .append('\n');
            }
            if (step.table().equals("reject")
                    && step.action() != null
                    && step.action().startsWith("reject sends")) {
                reply = true;
            }
        }
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }
}
