package io.kpsim.cli;

import io.kpsim.netfilter.Hook;
import io.kpsim.netfilter.TraceOutcome;
import io.kpsim.netfilter.TraceStep;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.replay.JsonText;
import java.util.List;

/**
 * {@code kpsim trace --format json}: one object with {@code verdict}, {@code dnat},
 * {@code masquerade}, {@code snat}, {@code local}, {@code reject_with} and {@code steps} of the
 * most probable outcome ({@code dnat}: every outcome's), the packet, and {@code outcomes}, each
 * with its {@code probability} and the same fields. A step is {@code hook}, {@code table},
 * {@code chain}, {@code rule_number} (0 for a step that is not a rule), {@code trace} (its
 * {@code iptables -j TRACE} name), {@code rule} (save text or null) and {@code effect}.
 */
final class PacketTraceJson {

    private PacketTraceJson() {}

    static String render(PacketTrace t) {
        StringBuilder s = new StringBuilder(8192);
        TraceOutcome main = t.main();
        Packet p = t.probe().packet();
        s.append("{\"packet\":{");
        s.append("\"protocol\":").append(q(p.protocol().name().toLowerCase(java.util.Locale.ROOT)));
        s.append(",\"src\":").append(q(Ip4.format(p.srcIp())));
        s.append(",\"dst\":").append(q(Ip4.format(p.dstIp())));
        s.append(",\"src_port\":").append(p.srcPort());
        s.append(",\"dst_port\":").append(p.dstPort());
        s.append(",\"ttl\":").append(p.ttl());
        s.append(",\"length\":").append(p.totalLength());
        s.append(",\"mark\":").append(Integer.toUnsignedLong(t.probe().mark()));
        s.append(",\"ctstate\":").append(q(t.ctstate()));
        s.append(",\"in_interface\":").append(q(t.probe().inInterface()));
        s.append(",\"summary\":").append(q(p.summary()));
        s.append("},\"rules\":").append(q(t.source()));
        s.append(",\"verdict\":").append(q(main.verdict().name()));
        s.append(",\"dnat\":[");
        List<String> dnat = t.dnat();
        for (int i = 0; i < dnat.size(); i++) {
            s.append(i == 0 ? "" : ",").append(q(dnat.get(i)));
        }
        s.append(']');
        fields(s, main);
        s.append(",\"steps\":");
        steps(s, t, main.steps());
        s.append(",\"outcomes\":[");
        for (int i = 0; i < t.outcomes().size(); i++) {
            TraceOutcome o = t.outcomes().get(i);
            s.append(i == 0 ? "{" : ",{");
            s.append("\"probability\":").append(o.probability());
            s.append(",\"percent\":").append(q(PacketTrace.percent(o.probability())));
            s.append(",\"verdict\":").append(q(o.verdict().name()));
            s.append(",\"dnat\":").append(q(o.dnat()));
            fields(s, o);
            s.append(",\"out_interface\":").append(q(o.outInterface()));
            s.append(",\"reason\":").append(q(o.reason()));
            s.append(",\"path\":[");
            List<Hook> hooks = o.hooks();
            for (int h = 0; h < hooks.size(); h++) {
                s.append(h == 0 ? "" : ",").append(q(hooks.get(h).name()));
            }
            s.append("],\"steps\":");
            steps(s, t, o.steps());
            s.append('}');
        }
        s.append("]}\n");
        return s.toString();
    }

    private static void fields(StringBuilder s, TraceOutcome o) {
        s.append(",\"masquerade\":").append(o.masquerade());
        s.append(",\"snat\":").append(q(o.snat()));
        s.append(",\"local\":").append(o.local());
        s.append(",\"reject_with\":").append(q(o.rejectWith()));
    }

    private static void steps(StringBuilder s, PacketTrace t, List<TraceStep> steps) {
        s.append('[');
        for (int i = 0; i < steps.size(); i++) {
            TraceStep step = steps.get(i);
            List<String> path = step.chainPath();
            s.append(i == 0 ? "{" : ",{");
            s.append("\"hook\":").append(q(step.hook().name()));
            s.append(",\"table\":").append(q(step.table()));
            s.append(",\"chain\":").append(q(path.isEmpty() ? null : path.get(path.size() - 1)));
            s.append(",\"rule_number\":").append(step.ruleNumber());
            s.append(",\"trace\":").append(q(t.where(step)));
            s.append(",\"rule\":").append(q(step.rule()));
            s.append(",\"effect\":").append(q(step.action()));
            s.append('}');
        }
        s.append(']');
    }

    private static String q(String value) {
        return JsonText.literal(value);
    }
}
