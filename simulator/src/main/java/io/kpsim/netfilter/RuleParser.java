package io.kpsim.netfilter;

import io.kpsim.netfilter.ipset.IpSets;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses the words of one rule (after {@code -A CHAIN}) in either dialect: kube-proxy's
 * restore form ({@code -m comment --comment X -m tcp -p tcp -d 10.0.0.1 --dport 80 ...}) and the
 * kernel's save form ({@code -d 10.0.0.1/32 -p tcp -m comment --comment "X" -m tcp --dport 80 ...}).
 * As in iptables ({@code do_parse()} in {@code iptables/xshared.c}), {@code !} negates the option
 * that follows, an option belongs to the most recent module that has it, and {@code --sport},
 * {@code --dport}, {@code --tcp-flags}, {@code --syn} after {@code -p tcp} (and {@code --icmp-type}
 * after {@code -p icmp}) load the protocol's module implicitly at that point. This class reads the
 * {@code ipt_ip} header part and dispatches; each module reads its own options
 * ({@link ModuleBuilder}) and {@link TargetParser} reads the target.
 */
final class RuleParser implements RuleSoFar {

    private final RuleWords words;
    private final List<Object> parts = new ArrayList<>();
    private Protocol protocol;
    private boolean protocolNegated;
    private boolean sctp;
    private Target target;
    private final Set<Integer> headerOptions = new HashSet<>();
    private final Set<String> chains;
    private final UnknownModules unknown;
    private String lastModule;
    private String targetName;

    private final IpSets sets;

    private RuleParser(List<String> words, Set<String> chains, IpSets sets, UnknownModules unknown) {
        this.words = new RuleWords(words);
        this.chains = chains;
        this.sets = sets;
        this.unknown = unknown;
    }

    /**
     * The rule the words describe; a module kpsim does not evaluate is an error.
     *
     * @param chains the chains declared in the rule's table so far: a {@code -j NAME} that is not
     *        a target kpsim models must name one of them
     * @throws IllegalArgumentException with a one-line message naming the offending word, module or target
     */
    static Rule parse(List<String> words, Set<String> chains) {
        return new RuleParser(words, chains, null, UnknownModules.REFUSE).run();
    }

    /**
     * As {@link #parse(List, Set)}, for a node with {@code sets} ({@code null}: set names are not
     * checked), with unknown modules handled as {@code unknown} says.
     */
    static Rule parse(List<String> words, Set<String> chains, IpSets sets, UnknownModules unknown) {
        return new RuleParser(words, chains, sets, unknown).run();
    }

    @Override
    public IpSets ipsets() {
        return sets;
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public boolean sctp() {
        return sctp && !protocolNegated;
    }

    @Override
    public boolean protocolNegated() {
        return protocolNegated;
    }

    private Rule run() {
        while (words.more()) {
            String w = words.next();
            if (w.equals("!")) {
                words.negateNext();
                continue;
            }
            option(w);
        }
        if (words.negatePending()) {
            throw new IllegalArgumentException("'!' at the end of the rule negates nothing");
        }
        if (target == null) {
            target = ContinueTarget.INSTANCE;
        }
        List<Match> matches = new ArrayList<>(parts.size());
        for (Object p : parts) {
            matches.add(p instanceof Match m ? m : ((ModuleBuilder) p).build(this));
        }
        return new Rule(matches, target);
    }

    private void option(String w) {
        switch (w) {
            case "-s", "--source", "-d", "--destination" -> {
                boolean src = w.equals("-s") || w.equals("--source");
                once(src ? 0 : 1, w);
                parts.add(new AddressMatch(src, RuleWords.cidr(words.value(w), w), words.takeNegate()));
            }
            case "-i", "--in-interface", "-o", "--out-interface" -> {
                boolean in = w.equals("-i") || w.equals("--in-interface");
                once(in ? 2 : 3, w);
                parts.add(new InterfaceMatch(in, words.value(w), words.takeNegate()));
            }
            case "-p", "--protocol" -> {
                once(4, w);
                String name = words.value(w);
                protocolNegated = words.takeNegate();
                if (name.equals("sctp") || name.equals("132")) {
                    sctp = true;
                    protocol = Protocol.OTHER;
                    parts.add(new ProtocolMatch(SctpMatch.IPPROTO_SCTP, protocolNegated));
                } else {
                    protocol = protocol(name);
                    parts.add(new ProtocolMatch(protocol.number(), protocolNegated));
                }
            }
            case "-m", "--match" -> module(words.value(w));
            case "-j", "--jump", "-g", "--goto" -> {
                boolean goTo = w.equals("-g") || w.equals("--goto");
                words.noNegate(goTo ? "-g" : "-j");
                if (target != null) {
                    throw new IllegalArgumentException("rule has two targets");
                }
                targetName = words.value(w);
                target = TargetParser.parse(targetName, goTo, words, this, chains);
            }
            default -> moduleOption(w);
        }
    }

    /** An option of a module: the most recent module that has it reads it. */
    private void moduleOption(String w) {
        boolean negated = words.takeNegate();
        ModuleBuilder owner = null;
        for (int i = parts.size() - 1; i >= 0 && owner == null; i--) {
            if (parts.get(i) instanceof ModuleBuilder b && b.accepts(w)) {
                owner = b;
            }
        }
        if (owner == null) {
            owner = implicitModule(w);
        }
        if (owner == null) {
            throw new IllegalArgumentException("unknown option '" + w + "'"
                    + (target != null
                            ? " (after -j " + targetName + ")"
                            : lastModule != null ? " (after -m " + lastModule + ")" : ""));
        }
        owner.option(w, negated, words, this);
    }

    /**
     * {@code -p tcp --dport 80} without {@code -m tcp}: iptables loads the protocol's module when
     * an option is not found among the loaded ones ({@code load_proto()} in {@code xshared.c}).
     */
    private ModuleBuilder implicitModule(String w) {
        ModuleBuilder m = null;
        if ((protocol == Protocol.TCP || protocol == Protocol.UDP) && new TcpUdpOptions(protocol).accepts(w)) {
            m = new TcpUdpOptions(protocol);
        } else if (sctp && new SctpMatch.Options().accepts(w)) {
            m = new SctpMatch.Options();
        } else if (protocol == Protocol.ICMP && w.equals("--icmp-type")) {
            m = new IcmpMatch.Options();
        } else if (w.equals("--sport")
                || w.equals("--dport")
                || w.equals("--source-port")
                || w.equals("--destination-port")) {
            throw new IllegalArgumentException(w + " needs -p tcp or -p udp (or -m tcp/-m udp)");
        } else if (w.equals("--icmp-type")) {
            throw new IllegalArgumentException("--icmp-type needs -p icmp");
        }
        if (m != null) {
            parts.add(m);
        }
        return m;
    }

    /** iptables allows each {@code ipt_ip} option once ("multiple -s flags not allowed"). */
    private void once(int option, String w) {
        if (!headerOptions.add(option)) {
            throw new IllegalArgumentException("multiple " + w + " flags not allowed");
        }
    }

    private void module(String name) {
        words.noNegate("-m");
        lastModule = name;
        ModuleBuilder m = ModuleBuilder.forName(name);
        if (m != null) {
            parts.add(m);
            return;
        }
        if (unknown == UnknownModules.REFUSE) {
            throw new IllegalArgumentException("match module '" + name + "' is not modelled (kpsim evaluates "
                    + ModuleBuilder.KNOWN + ";" + " --unknown-match=ignore treats unknown modules as matching)");
        }
        parts.add(UnknownMatch.read(name, words));
    }

    private static Protocol protocol(String v) {
        return switch (v) {
            case "tcp", "6" -> Protocol.TCP;
            case "udp", "17" -> Protocol.UDP;
            case "icmp", "1" -> Protocol.ICMP;
            default ->
                throw new IllegalArgumentException(
                        "protocol '" + v + "' is not modelled (expected tcp, udp, icmp or sctp)");
        };
    }
}
