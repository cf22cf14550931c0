package io.kpsim.cli;

import io.kpsim.netfilter.Chain;
import io.kpsim.netfilter.Rule;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.netfilter.Table;
import io.kpsim.netfilter.TableRules;
import io.kpsim.replay.JsonText;

/**
 * {@code kpsim rules --format json}: what the rule engine holds, one object with {@code tables},
 * each with its {@code chains} (name, policy or null for a user chain, rules), each rule with its
 * number, its {@code iptables-save} line, its conditions one by one in evaluation order and its
 * target, so that a script can read them without parsing iptables syntax.
 */
final class RulesJson {

    private static final Table[] ORDER = {Table.MANGLE, Table.RAW, Table.FILTER, Table.NAT};

    private RulesJson() {}

    static String render(Ruleset rules) {
        StringBuilder s = new StringBuilder(8192).append("{\"tables\":[");
        boolean firstTable = true;
        for (Table t : ORDER) {
            TableRules table = rules.table(t);
            if (table.pristine()) {
                continue;
            }
            s.append(firstTable ? "" : ",")
                    .append("{\"table\":")
                    .append(q(t.label()))
                    .append(",\"chains\":[");
            firstTable = false;
            boolean firstChain = true;
            for (Chain c : table.chains()) {
                s.append(firstChain ? "" : ",").append("{\"chain\":").append(q(c.name()));
                firstChain = false;
                s.append(",\"policy\":").append(q(c.builtin() ? c.policy().name() : null));
                s.append(",\"rules\":[");
                for (int i = 0; i < c.rules().size(); i++) {
                    Rule r = c.rules().get(i);
                    s.append(i == 0 ? "{" : ",{").append("\"number\":").append(i + 1);
                    s.append(",\"save\":")
                            .append(q("-A " + c.name() + (r.saveText().isEmpty() ? "" : " " + r.saveText())));
                    s.append(",\"matches\":[");
                    for (int m = 0; m < r.matches().size(); m++) {
                        StringBuilder one = new StringBuilder();
                        r.matches().get(m).save(one);
                        s.append(m == 0 ? "" : ",").append(q(one.toString().strip()));
                    }
                    StringBuilder target = new StringBuilder();
                    r.target().save(target);
                    s.append("],\"target\":")
                            // a rule without -j/-g (XT_CONTINUE) has no target: null
                            .append(q(
                                    target.isEmpty() ? null : target.toString().strip()))
                            .append('}');
                }
                s.append("]}");
            }
            s.append("]}");
        }
        return s.append("]}\n").toString();
    }

    private static String q(String value) {
        return JsonText.literal(value);
    }
}
