package io.kpsim.oracle;

import io.kpsim.packet.Ip4;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random iptables rulesets for the kernel oracle, drawing on the engine's whole vocabulary that a
 * first packet can exercise deterministically: custom chains reached by jumps and gotos, RETURN,
 * negations, chain policies, the ipt_ip header ({@code -s -d -i -o -p}), tcp flags, multiport,
 * icmp types, conntrack states and entry tests, state, mark and connmark (set in mangle), set
 * matches against {@code ipset} sets of five types, iprange, length, addrtype, pkttype, physdev,
 * statistic nth, recent (set and check), limit with a burst, every REJECT type, DNAT to one
 * address or a range (with {@code --persistent}), SNAT, MASQUERADE and REDIRECT. Every built-in
 * chain accepts the oracle's sentinel first ({@link NftOraclePlan#SENTINEL_DESTINATION}).
 *
 * <p>With {@code ladders}, for the check of {@code kpsim trace} itself, some Services get kube-proxy's
 * probability ladder instead (a {@code -m statistic --mode random --probability 1/n} jump per endpoint
 * to a chain that DNATs), filter rules may hold a random condition, and the modules whose state
 * carries from one packet to the next ({@code recent}, {@code statistic nth}, {@code limit}) are left
 * out, so that every probe meets the rules as a fresh node does, which is what a trace walks.
 */
final class IptablesRulesetGenerator {

    /** One ruleset: {@code iptables-restore} text, {@code ipset restore} text, and its Service addresses. */
    record Generated(String rules, String sets, List<Integer> vips) {}

    private final SplittableRandom random;
    private final NftOraclePlan plan;
    private final boolean ladders;
    /** The ipt_ip options the rule being drawn has (each may appear once). */
    private final java.util.Set<Integer> header = new java.util.HashSet<>();

    IptablesRulesetGenerator(long seed, NftOraclePlan plan) {
        this(seed, plan, false);
    }

    IptablesRulesetGenerator(long seed, NftOraclePlan plan, boolean ladders) {
        this.random = new SplittableRandom(seed);
        this.plan = plan;
        this.ladders = ladders;
    }

    /** The next ruleset. */
    Generated next() {
        List<Integer> vips = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            vips.add(pick(NftOraclePlan.clusterIps()));
        }
        String sentinel = " -d " + Ip4.format(NftOraclePlan.SENTINEL_DESTINATION) + "/32 -j ACCEPT\n";
        StringBuilder r = new StringBuilder();
        r.append("*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n"
                + ":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n");
        r.append("-A PREROUTING").append(sentinel);
        r.append("-A PREROUTING -s ")
                .append(Ip4.format(pick(NftOraclePlan.externalClients())))
                .append("/30 -j MARK --set-xmark 0x1/0x1\n");
        r.append("-A PREROUTING -p tcp -j CONNMARK --set-xmark 0x10/0xf0\n");
        r.append("COMMIT\n");
        r.append("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + ":POSTROUTING ACCEPT [0:0]\n:SVC - [0:0]\n");
        int natChains = r.length();
        StringBuilder declared = new StringBuilder();
        StringBuilder ladderRules = new StringBuilder();
        r.append("-A PREROUTING").append(sentinel);
        r.append("-A POSTROUTING").append(sentinel);
        r.append("-A PREROUTING")
                .append(random.nextInt(4) == 0 ? " ! -s 192.168.50.12/32" : "")
                .append(" -j SVC\n");
        for (int v : vips) {
            if (ladders && random.nextBoolean()) {
                ladder(v, declared, r, ladderRules);
                continue;
            }
            // a range stays among the pods, the addresses the harness answers for (permanent neighbours)
            String pod = Ip4.format(
                    NftOraclePlan.pods().get(random.nextInt(NftOraclePlan.pods().size() - 5)));
            String to = switch (random.nextInt(4)) {
                case 0 -> pod + ":8080";
                case 1 -> pod + "-" + Ip4.format(Ip4.parse(pod) + 3) + ":8080";
                case 2 -> pod + "-" + Ip4.format(Ip4.parse(pod) + 5) + ":8080 --persistent";
                default -> pod;
            };
            String proto = random.nextBoolean() ? "tcp" : "udp";
            r.append("-A SVC -d ")
                    .append(Ip4.format(v))
                    .append("/32 -p ")
                    .append(proto)
                    .append(" -m ")
                    .append(proto)
                    .append(" --dport 80 -j DNAT --to-destination ")
                    .append(to)
                    .append('\n');
        }
        r.append(ladderRules);
        r.insert(natChains, declared);
        if (random.nextInt(3) == 0) {
            r.append("-A PREROUTING -d ")
                    .append(Ip4.format(NftOraclePlan.NODE_IP))
                    .append("/32 -p tcp -m tcp --dport 8000 -j REDIRECT --to-ports 22\n");
        }
        switch (random.nextInt(3)) {
            case 0 ->
                r.append("-A POSTROUTING -o ")
                        .append(plan.serverDevice())
                        .append(" -m mark --mark 0x1/0x1 -j MASQUERADE\n");
            case 1 ->
                r.append("-A POSTROUTING -s 192.168.50.0/24 -o ")
                        .append(plan.serverDevice())
                        .append(" -j SNAT --to-source 10.244.0.1\n");
            default -> {}
        }
        r.append("COMMIT\n");
        r.append("*filter\n:INPUT ")
                .append(policy())
                .append(" [0:0]\n:FORWARD ")
                .append(policy())
                .append(" [0:0]\n:OUTPUT ACCEPT [0:0]\n");
        int chains = 1 + random.nextInt(3);
        for (int c = 0; c < chains; c++) {
            r.append(":C").append(c).append(" - [0:0]\n");
        }
        r.append("-A INPUT").append(sentinel);
        r.append("-A FORWARD").append(sentinel);
        for (String builtin : List.of("INPUT", "FORWARD")) {
            int n = 2 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                r.append("-A ").append(builtin).append(rule(builtin, 0, chains)).append('\n');
            }
        }
        for (int c = 0; c < chains; c++) {
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                r.append("-A C").append(c).append(rule("C" + c, c + 1, chains)).append('\n');
            }
        }
        r.append("COMMIT\n");
        return new Generated(r.toString(), sets(), vips);
    }

    /**
     * kube-proxy's ladder for Service {@code vip}: a rule in SVC jumps to a chain whose rules jump
     * to endpoint n of N with probability 1/(N-n), the last one unconditionally, each endpoint chain
     * DNATing to one pod.
     */
    private void ladder(int vip, StringBuilder declared, StringBuilder svc, StringBuilder rules) {
        String name = "L" + Integer.toHexString(vip & 0xffff);
        int endpoints = 2 + random.nextInt(3);
        String proto = random.nextBoolean() ? "tcp" : "udp";
        declared.append(':').append(name).append(" - [0:0]\n");
        svc.append("-A SVC -d ")
                .append(Ip4.format(vip))
                .append("/32 -p ")
                .append(proto)
                .append(" -m ")
                .append(proto)
                .append(" --dport 80 -j ")
                .append(name)
                .append('\n');
        for (int e = 0; e < endpoints; e++) {
            String sep = name + "E" + e;
            declared.append(':').append(sep).append(" - [0:0]\n");
            rules.append("-A ").append(name);
            int left = endpoints - e;
            if (left > 1) {
                rules.append(String.format(
                        java.util.Locale.ROOT, " -m statistic --mode random --probability %.11f", 1.0 / left));
            }
            rules.append(" -j ").append(sep).append('\n');
            String pod = Ip4.format(
                    NftOraclePlan.pods().get(random.nextInt(NftOraclePlan.pods().size() - 5)));
            rules.append("-A ")
                    .append(sep)
                    .append(" -p ")
                    .append(proto)
                    .append(" -j DNAT --to-destination ")
                    .append(pod)
                    .append(":8080\n");
        }
    }

    private String sets() {
        StringBuilder s = new StringBuilder();
        s.append("create s_ip hash:ip family inet hashsize 1024 maxelem 65536\n");
        for (int i = 0; i < 4; i++) {
            s.append("add s_ip ")
                    .append(Ip4.format(pick(NftOraclePlan.externalClients())))
                    .append(" -exist\n");
        }
        s.append("create s_net hash:net family inet hashsize 1024 maxelem 65536\n");
        s.append("add s_net 10.244.1.0/26\nadd s_net 10.244.1.16/28 nomatch\n");
        s.append("create s_ipport hash:ip,port family inet hashsize 1024 maxelem 65536\n");
        s.append("add s_ipport ").append(Ip4.format(pick(NftOraclePlan.pods()))).append(",tcp:8080\n");
        s.append("create s_bm bitmap:port range 1-1024\nadd s_bm 22\nadd s_bm 80\n");
        s.append("create s_list list:set size 8\nadd s_list s_ip\nadd s_list s_ipport\n");
        return s.toString();
    }

    private String policy() {
        return random.nextInt(3) == 0 ? "DROP" : "ACCEPT";
    }

    /** One rule: zero to three conditions and a target ({@code chain} may jump only to later chains). */
    private String rule(String chain, int firstJumpable, int chains) {
        StringBuilder r = new StringBuilder();
        header.clear();
        String proto = switch (random.nextInt(4)) {
            case 0 -> "tcp";
            case 1 -> "udp";
            case 2 -> "icmp";
            default -> null;
        };
        int conditions = random.nextInt(4);
        if (proto != null) {
            boolean negated = random.nextInt(8) == 0;
            r.append(negated ? " ! -p " : " -p ").append(proto);
            if (negated) {
                proto = null; // the protocol's own module needs -p PROTO
            }
        }
        for (int i = 0; i < conditions; i++) {
            r.append(condition(proto, chain));
        }
        r.append(target(proto, chain, firstJumpable, chains));
        return r.toString();
    }

    private String condition(String proto, String chain) {
        int k = random.nextInt(proto != null ? 20 : 16);
        if (ladders && k >= 13 && k <= 15) {
            // no state that outlives the packet; a random condition instead, which a trace follows both ways
            return " -m statistic --mode random --probability 0." + (2 + random.nextInt(6));
        }
        if (k <= 2 && !header.add(k)) {
            return " -m comment --comment \"seen " + k + "\"";
        }
        switch (k) {
            case 0:
                return (random.nextBoolean() ? " -s " : " ! -s ") + Ip4.format(pick(NftOraclePlan.externalClients()))
                        + "/" + (28 + random.nextInt(5));
            case 1:
                return " -d 10.244.1.0/" + (24 + random.nextInt(6));
            case 2:
                return chain.equals("FORWARD") ? " -o " + plan.serverDevice() : " -i " + plan.clientDevice();
            case 3:
                return " -m conntrack " + (random.nextBoolean() ? "--ctstate NEW" : "! --ctstate DNAT");
            case 4:
                return " -m conntrack --ctorigdstport 80 ! --ctstatus CONFIRMED";
            case 5:
                return " -m state --state " + (random.nextBoolean() ? "NEW" : "INVALID,ESTABLISHED");
            case 6:
                return " -m mark " + (random.nextBoolean() ? "--mark 0x1/0x1" : "! --mark 0x1/0x1");
            case 7:
                return " -m connmark --mark 0x10/0xf0";
            case 8:
                return switch (random.nextInt(4)) {
                    case 0 -> " -m set --match-set s_ip src";
                    case 1 -> " -m set ! --match-set s_net dst";
                    case 2 -> " -m set --match-set s_ipport dst,dst";
                    default -> " -m set --match-set s_list src";
                };
            case 9:
                return " -m iprange --src-range 192.168.50.10-192.168.50." + (12 + random.nextInt(10));
            case 10:
                return " -m length " + (random.nextBoolean() ? "--length 0:60" : "! --length 40:48");
            case 11:
                return " -m addrtype " + (random.nextBoolean() ? "--dst-type LOCAL" : "! --dst-type LOCAL");
            case 12:
                return " -m pkttype --pkt-type unicast -m physdev ! --physdev-is-bridged";
            case 13:
                return " -m statistic --mode nth --every " + (2 + random.nextInt(3)) + " --packet 0";
            case 14:
                return random.nextBoolean()
                        ? " -m recent --set --name R" + random.nextInt(2)
                        : " -m recent --rcheck --name R" + random.nextInt(2);
            case 15:
                return " -m limit --limit 1/hour --limit-burst " + (1 + random.nextInt(4));
            default:
                return switch (proto) {
                    case "tcp" ->
                        switch (random.nextInt(4)) {
                            case 0 -> " -m tcp --dport 8080";
                            case 1 -> " -m tcp " + (random.nextBoolean() ? "--syn" : "! --syn");
                            case 2 -> " -m multiport --dports 22,80,8080:8081";
                            default -> " -m set --match-set s_bm dst";
                        };
                    case "udp" -> random.nextBoolean() ? " -m udp ! --dport 80" : " -m udp --sport 20000:30000";
                    default -> " -m icmp --icmp-type " + (random.nextBoolean() ? "echo-request" : "3/3");
                };
        }
    }

    private String target(String proto, String chain, int firstJumpable, int chains) {
        int k = random.nextInt(10);
        if (k < 2 && firstJumpable < chains) {
            int to = firstJumpable + random.nextInt(chains - firstJumpable);
            return (random.nextInt(3) == 0 ? " -g C" : " -j C") + to;
        }
        return switch (k) {
            case 2, 3 -> " -j ACCEPT";
            case 4, 5 -> " -j DROP";
            case 6 -> chain.startsWith("C") ? " -j RETURN" : " -j ACCEPT";
            default -> " -j REJECT --reject-with " + rejectType(proto);
        };
    }

    private String rejectType(String proto) {
        String[] types = {
            "icmp-net-unreachable",
            "icmp-host-unreachable",
            "icmp-port-unreachable",
            "icmp-proto-unreachable",
            "icmp-net-prohibited",
            "icmp-host-prohibited",
            "icmp-admin-prohibited"
        };
        if ("tcp".equals(proto) && random.nextBoolean()) {
            return "tcp-reset";
        }
        return types[random.nextInt(types.length)];
    }

    private int pick(List<Integer> list) {
        return list.get(random.nextInt(list.size()));
    }
}
