package io.kpsim.netfilter;

import io.kpsim.conntrack.CtDir;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses the words of one rule (after {@code -A CHAIN}) in either dialect: kube-proxy's
 * restore form ({@code -m comment --comment X -m tcp -p tcp -d 10.0.0.1 --dport 80 ...}) and the
 * kernel's save form ({@code -d 10.0.0.1/32 -p tcp -m comment --comment "X" -m tcp --dport 80 ...}).
 * As in iptables, {@code !} negates the option that follows, an option belongs to the most recent
 * module that has it, and {@code --sport}/{@code --dport} after {@code -p tcp} load {@code -m tcp}
 * implicitly at that point.
 */
final class RuleParser {

    private final List<String> words;
    private int pos;
    private boolean negate;
    private final List<Object> parts = new ArrayList<>();
    private Protocol protocol;
    private Target target;
    private final Set<Integer> headerOptions = new HashSet<>();
    private final Set<String> chains;
    private String lastModule;
    private String targetName;

    private RuleParser(List<String> words, Set<String> chains) {
        this.words = words;
        this.chains = chains;
    }

    /**
     * The rule the words describe.
     *
     * @param chains the chains declared in the rule's table so far: a {@code -j NAME} that is not
     *        a target kpsim models must name one of them
     * @throws IllegalArgumentException with a one-line message naming the offending word, module or target
     */
    static Rule parse(List<String> words, Set<String> chains) {
        return new RuleParser(words, chains).run();
    }

    private Rule run() {
        while (pos < words.size()) {
            String w = words.get(pos++);
            if (w.equals("!")) {
                if (negate) {
                    throw new IllegalArgumentException("'!' given twice");
                }
                negate = true;
                continue;
            }
            option(w);
        }
        if (negate) {
            throw new IllegalArgumentException("'!' at the end of the rule negates nothing");
        }
        if (target == null) {
            throw new IllegalArgumentException("rule has no target (-j or -g)");
        }
        List<Match> matches = new ArrayList<>(parts.size());
        for (Object p : parts) {
            matches.add(p instanceof Match m ? m : ((ModuleBuilder) p).build());
        }
        return new Rule(matches, target);
    }

    private void option(String w) {
        switch (w) {
            case "-s", "--source", "-d", "--destination" -> {
                boolean src = w.equals("-s") || w.equals("--source");
                once(src ? 0 : 1, w);
                parts.add(new AddressMatch(src, Cidr.parse(value(w)), takeNegate()));
            }
            case "-i", "--in-interface", "-o", "--out-interface" -> {
                boolean in = w.equals("-i") || w.equals("--in-interface");
                once(in ? 2 : 3, w);
                parts.add(new InterfaceMatch(in, value(w), takeNegate()));
            }
            case "-p", "--protocol" -> {
                once(4, w);
                protocol = protocol(value(w));
                parts.add(new ProtocolMatch(protocol, takeNegate()));
            }
            case "-m", "--match" -> module(value(w));
            case "-j", "--jump" -> jump(value(w), false);
            case "-g", "--goto" -> jump(value(w), true);
            case "--sport", "--source-port", "--dport", "--destination-port" -> ports(w);
            case "--ctstate" -> {
                ModuleBuilder.Conntrack ct = latest(ModuleBuilder.Conntrack.class, w, "conntrack");
                int mask = 0;
                for (String s : value(w).split(",")) {
                    mask |= ConntrackMatch.stateBit(s);
                }
                ct.stateMask = mask;
                ct.stateNegated = takeNegate();
            }
            case "--ctdir" -> {
                ModuleBuilder.Conntrack ct = latest(ModuleBuilder.Conntrack.class, w, "conntrack");
                String d = value(w);
                if (!d.equals("ORIGINAL") && !d.equals("REPLY")) {
                    throw new IllegalArgumentException("--ctdir '" + d + "' (expected ORIGINAL or REPLY)");
                }
                noNegate(w);
                ct.dir = CtDir.valueOf(d);
            }
            case "--mark" -> {
                ModuleBuilder.Mark m = latest(ModuleBuilder.Mark.class, w, "mark");
                int[] vm = valueMask(value(w), -1);
                m.value = vm[0];
                m.mask = vm[1];
                m.negated = takeNegate();
                m.given = true;
            }
            case "--mode" -> {
                ModuleBuilder.Statistic s = latest(ModuleBuilder.Statistic.class, w, "statistic");
                if (!value(w).equals("random")) {
                    throw new IllegalArgumentException("-m statistic: only --mode random is modelled");
                }
                noNegate(w);
                s.random = true;
            }
            case "--probability" -> {
                ModuleBuilder.Statistic s = latest(ModuleBuilder.Statistic.class, w, "statistic");
                String v = value(w);
                try {
                    s.probability = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--probability '" + v + "' is not a number");
                }
                s.negated = takeNegate();
            }
            case "--sports", "--source-ports", "--dports", "--destination-ports", "--ports" -> {
                ModuleBuilder.Multiport m = latest(ModuleBuilder.Multiport.class, w, "multiport");
                if (m.match != null) {
                    throw new IllegalArgumentException("multiport can only have one option");
                }
                MultiportMatch.Direction d = switch (w) {
                    case "--sports", "--source-ports" -> MultiportMatch.Direction.SOURCE;
                    case "--dports", "--destination-ports" -> MultiportMatch.Direction.DESTINATION;
                    default -> MultiportMatch.Direction.EITHER;
                };
                String list = value(w);
                if ((protocol != Protocol.TCP && protocol != Protocol.UDP) || protocolNegated()) {
                    throw new IllegalArgumentException(
                            "multiport needs -p tcp or -p udp (the kernel's multiport_mt_check refuses others)");
                }
                m.match = MultiportMatch.parse(d, list, takeNegate());
            }
            case "--icmp-type" -> {
                if (protocol != Protocol.ICMP || protocolNegated()) {
                    throw new IllegalArgumentException("--icmp-type needs -p icmp");
                }
                ModuleBuilder.Icmp m = null;
                for (int i = parts.size() - 1; i >= 0 && m == null; i--) {
                    if (parts.get(i) instanceof ModuleBuilder.Icmp q) {
                        m = q;
                    }
                }
                if (m == null) {
                    m = new ModuleBuilder.Icmp();
                    parts.add(m);
                }
                m.match = IcmpMatch.parse(value(w), takeNegate());
            }
            case "--comment" -> {
                latest(ModuleBuilder.Comment.class, w, "comment").text = value(w);
                noNegate(w);
            }
            case "--nfacct-name" -> {
                latest(ModuleBuilder.Nfacct.class, w, "nfacct").name = value(w);
                noNegate(w);
            }
            case "--dst-type" -> {
                ModuleBuilder.AddrType a = latest(ModuleBuilder.AddrType.class, w, "addrtype");
                String v = value(w);
                if (!v.equals("LOCAL")) {
                    throw new IllegalArgumentException("-m addrtype: only --dst-type LOCAL is modelled, not " + v);
                }
                a.negated = takeNegate();
                a.given = true;
            }
            default ->
                throw new IllegalArgumentException("unknown option '" + w + "'"
                        + (target != null
                                ? " (after -j " + targetName + ")"
                                : lastModule != null ? " (after -m " + lastModule + ")" : ""));
        }
    }

    /** iptables allows each {@code ipt_ip} option once ("multiple -s flags not allowed"). */
    private void once(int option, String w) {
        if (!headerOptions.add(option)) {
            throw new IllegalArgumentException("multiple " + w + " flags not allowed");
        }
    }

    private void module(String name) {
        noNegate("-m");
        lastModule = name;
        switch (name) {
            case "tcp" -> parts.add(new ModuleBuilder.Ports(Protocol.TCP));
            case "udp" -> parts.add(new ModuleBuilder.Ports(Protocol.UDP));
            case "conntrack" -> parts.add(new ModuleBuilder.Conntrack());
            case "mark" -> parts.add(new ModuleBuilder.Mark());
            case "statistic" -> parts.add(new ModuleBuilder.Statistic());
            case "comment" -> parts.add(new ModuleBuilder.Comment());
            case "addrtype" -> parts.add(new ModuleBuilder.AddrType());
            case "multiport" -> parts.add(new ModuleBuilder.Multiport());
            case "icmp" -> parts.add(new ModuleBuilder.Icmp());
            case "nfacct" -> parts.add(new ModuleBuilder.Nfacct());
            default ->
                throw new IllegalArgumentException("match module '" + name
                        + "' is not modelled (expected tcp, udp, conntrack, mark, statistic, comment, addrtype,"
                        + " multiport, icmp or nfacct)");
        }
    }

    private void ports(String w) {
        ModuleBuilder.Ports p = null;
        for (int i = parts.size() - 1; i >= 0 && p == null; i--) {
            if (parts.get(i) instanceof ModuleBuilder.Ports q) {
                p = q;
            }
        }
        if (p == null) {
            if (protocol != Protocol.TCP && protocol != Protocol.UDP) {
                throw new IllegalArgumentException(w + " needs -p tcp or -p udp (or -m tcp/-m udp)");
            }
            p = new ModuleBuilder.Ports(protocol);
            parts.add(p);
        }
        String v = value(w);
        int colon = v.indexOf(':');
        int min = port(colon < 0 ? v : v.substring(0, colon), w);
        int max = colon < 0 ? min : port(v.substring(colon + 1), w);
        if (max < min) {
            throw new IllegalArgumentException(w + " range '" + v + "' is reversed");
        }
        boolean neg = takeNegate();
        if (w.equals("--sport") || w.equals("--source-port")) {
            p.match = p.match.withSport(min, max, neg);
        } else {
            p.match = p.match.withDport(min, max, neg);
        }
    }

    private void jump(String name, boolean goTo) {
        noNegate(goTo ? "-g" : "-j");
        if (target != null) {
            throw new IllegalArgumentException("rule has two targets");
        }
        targetName = name;
        if (goTo) {
            undeclared(name, "-g");
            target = new JumpTarget(name, true);
            return;
        }
        target = switch (name) {
            case "ACCEPT" -> VerdictTarget.ACCEPT;
            case "DROP" -> VerdictTarget.DROP;
            case "RETURN" -> VerdictTarget.RETURN;
            case "DNAT" -> dnat();
            case "MARK" -> mark();
            case "MASQUERADE" -> new MasqueradeTarget(flag("--random-fully"));
            case "DSCP" -> new DscpTarget(number(required("--set-dscp", "DSCP"), "--set-dscp"));
            case "CT" -> {
                required0("--notrack", "CT");
                yield new NotrackTarget();
            }
            case "NOTRACK" -> new NotrackTarget();
            case "LOG" -> new LogTarget(optional("--log-prefix", ""));
            case "REJECT" -> reject();
            case "SNAT" -> snat();
            case "REDIRECT" -> redirect();
            case "TPROXY" -> throw new IllegalArgumentException("target " + name + " is not modelled");
            default -> {
                undeclared(name, "-j");
                yield new JumpTarget(name, false);
            }
        };
    }

    /** iptables-restore's "Couldn't load target": a jump to a name that is neither a target nor a chain. */
    private void undeclared(String name, String option) {
        if (!chains.contains(name)) {
            throw new IllegalArgumentException("target " + name + " is not modelled, and no chain " + name
                    + " is declared before this line (" + option + " " + name + ")");
        }
    }

    private DnatTarget dnat() {
        String to = required("--to-destination", "DNAT");
        int colon = to.indexOf(':');
        int ip = Ip4.parse(colon < 0 ? to : to.substring(0, colon));
        int port = colon < 0 ? 0 : port(to.substring(colon + 1), "--to-destination");
        return new DnatTarget(ip, port);
    }

    /**
     * {@code libipt_REJECT}: the default is icmp-port-unreachable; {@code reject_tg_check()} wants
     * {@code -p tcp} for a reset.
     */
    private RejectTarget reject() {
        RejectWith with = flag("--reject-with")
                ? RejectTarget.parseWith(value("--reject-with"))
                : RejectWith.icmp(RejectWith.PORT_UNREACHABLE);
        if (with.tcpReset() && (protocol != Protocol.TCP || protocolNegated())) {
            throw new IllegalArgumentException("REJECT --reject-with tcp-reset is only valid with -p tcp"
                    + " (the kernel's reject_tg_check refuses it)");
        }
        return new RejectTarget(with);
    }

    /** {@code libxt_SNAT}: {@code --to-source ip[:port[-port]]}, optionally {@code --random-fully}. */
    private SnatTarget snat() {
        String to = required("--to-source", "SNAT");
        int colon = to.indexOf(':');
        String addr = colon < 0 ? to : to.substring(0, colon);
        if (addr.indexOf('-') >= 0) {
            throw new IllegalArgumentException("SNAT --to-source address range '" + addr + "' is not modelled");
        }
        int ip = Ip4.parse(addr);
        int min = 0;
        int max = 0;
        if (colon >= 0) {
            String ports = to.substring(colon + 1);
            int dash = ports.indexOf('-');
            min = port(dash < 0 ? ports : ports.substring(0, dash), "--to-source");
            max = dash < 0 ? min : port(ports.substring(dash + 1), "--to-source");
            if (min == 0 || max < min) {
                throw new IllegalArgumentException("SNAT --to-source port range '" + ports + "' is invalid");
            }
            if (protocol != Protocol.TCP && protocol != Protocol.UDP) {
                throw new IllegalArgumentException("SNAT --to-source with a port needs -p tcp or -p udp");
            }
        }
        boolean randomFully = false;
        while (pos < words.size() && words.get(pos).startsWith("--")) {
            String opt = words.get(pos);
            switch (opt) {
                case "--random-fully" -> randomFully = true;
                case "--random", "--persistent" ->
                    throw new IllegalArgumentException("SNAT " + opt + " is not modelled (--random-fully is)");
                default -> throw new IllegalArgumentException("SNAT option '" + opt + "' unknown");
            }
            pos++;
        }
        return new SnatTarget(ip, min, max, randomFully);
    }

    /** {@code libxt_REDIRECT}: {@code --to-ports PORT[-PORT]} after -p tcp/udp; {@code --random} is refused. */
    private RedirectTarget redirect() {
        int min = 0;
        int max = 0;
        while (pos < words.size() && words.get(pos).startsWith("--")) {
            String opt = words.get(pos++);
            switch (opt) {
                case "--to-ports" -> {
                    String ports = value(opt);
                    int dash = ports.indexOf('-');
                    min = port(dash < 0 ? ports : ports.substring(0, dash), opt);
                    max = dash < 0 ? min : port(ports.substring(dash + 1), opt);
                    if (min == 0 || max < min) {
                        throw new IllegalArgumentException("REDIRECT --to-ports '" + ports + "' is invalid");
                    }
                    if (protocol != Protocol.TCP && protocol != Protocol.UDP || protocolNegated()) {
                        throw new IllegalArgumentException("REDIRECT --to-ports needs -p tcp or -p udp");
                    }
                }
                case "--random" -> throw new IllegalArgumentException("REDIRECT --random is not modelled");
                default -> throw new IllegalArgumentException("REDIRECT option '" + opt + "' unknown");
            }
        }
        return new RedirectTarget(min, max);
    }

    private boolean protocolNegated() {
        for (Object p : parts) {
            if (p instanceof ProtocolMatch m) {
                return m.negated();
            }
        }
        return false;
    }

    private MarkTarget mark() {
        if (pos >= words.size()) {
            throw new IllegalArgumentException(
                    "MARK needs --set-xmark, --set-mark, --or-mark, --xor-mark or --and-mark");
        }
        String opt = words.get(pos++);
        String v = value(opt);
        return switch (opt) {
            case "--set-xmark" -> {
                int[] vm = valueMask(v, -1);
                yield new MarkTarget(vm[0], vm[1]);
            }
            case "--set-mark" -> {
                int[] vm = valueMask(v, -1);
                yield new MarkTarget(vm[0], vm[1] | vm[0]);
            }
            case "--or-mark" -> {
                int bits = number(v, opt);
                yield new MarkTarget(bits, bits);
            }
            case "--xor-mark" -> new MarkTarget(number(v, opt), 0);
            case "--and-mark" -> new MarkTarget(0, ~number(v, opt));
            default -> throw new IllegalArgumentException("MARK option '" + opt + "' unknown");
        };
    }

    /** Consumes {@code option value} after a target, requiring it. */
    private String required(String option, String targetName) {
        if (pos >= words.size() || !words.get(pos).equals(option)) {
            throw new IllegalArgumentException(targetName + " needs " + option);
        }
        pos++;
        return value(option);
    }

    private void required0(String option, String targetName) {
        if (pos >= words.size() || !words.get(pos).equals(option)) {
            throw new IllegalArgumentException(targetName + " is modelled only with " + option);
        }
        pos++;
    }

    /** Consumes an optional target flag. */
    private boolean flag(String option) {
        if (pos < words.size() && words.get(pos).equals(option)) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes an optional target option with a value, or gives {@code absent}. */
    private String optional(String option, String absent) {
        return flag(option) ? value(option) : absent;
    }

    private <T extends ModuleBuilder> T latest(Class<T> type, String option, String module) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            if (type.isInstance(parts.get(i))) {
                return type.cast(parts.get(i));
            }
        }
        throw new IllegalArgumentException(option + " needs -m " + module + " before it");
    }

    private String value(String option) {
        if (pos >= words.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return words.get(pos++);
    }

    private boolean takeNegate() {
        boolean n = negate;
        negate = false;
        return n;
    }

    private void noNegate(String option) {
        if (takeNegate()) {
            throw new IllegalArgumentException("'!' cannot negate " + option);
        }
    }

    private static Protocol protocol(String v) {
        return switch (v) {
            case "tcp", "6" -> Protocol.TCP;
            case "udp", "17" -> Protocol.UDP;
            case "icmp", "1" -> Protocol.ICMP;
            default ->
                throw new IllegalArgumentException("protocol '" + v + "' is not modelled (expected tcp, udp or icmp)");
        };
    }

    private static int port(String v, String option) {
        int p = number(v, option);
        if (p < 0 || p > 0xffff) {
            throw new IllegalArgumentException(option + " port '" + v + "' is not in 0..65535");
        }
        return p;
    }

    /** {@code strtoul(v, NULL, 0)}-style: {@code 0x} hex or decimal, as an unsigned 32-bit value. */
    static int number(String v, String option) {
        try {
            long n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            if (n < 0 || n > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " value '" + v + "' is not a 32-bit number");
        }
    }

    private static int[] valueMask(String v, int defaultMask) {
        int slash = v.indexOf('/');
        if (slash < 0) {
            return new int[] {number(v, "mark"), defaultMask};
        }
        return new int[] {number(v.substring(0, slash), "mark"), number(v.substring(slash + 1), "mask")};
    }
}
