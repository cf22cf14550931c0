package io.kpsim.netfilter;

import io.kpsim.packet.Protocol;

/**
 * A match module while its options are being read ({@code -m conntrack} then {@code --ctstate},
 * {@code --ctdir}, ...), as a {@code libxt_*} extension's {@code x6_parse} reads them: the
 * {@link RuleParser} gives each option to the most recent module that has it, and builds the
 * immutable {@link Match} at the end of the rule, as {@code xtables_option_mfcall()} finalizes
 * each module and the kernel's {@code checkentry} checks it. Each module's reader lives beside its
 * match ({@code TcpMatch.Options}, {@code ConntrackMatch.Options}, ...), or is the shared
 * {@link TextOptionBuilder} for a module with one text option.
 */
abstract class ModuleBuilder {

    /** The module's name as {@code -m} takes it. */
    abstract String name();

    /** Whether the module has {@code option} (e.g. {@code --dport}). */
    abstract boolean accepts(String option);

    /**
     * Reads one option and its values.
     *
     * @param negated whether a {@code !} came before the option
     * @throws IllegalArgumentException naming the option and what is wrong
     */
    abstract void option(String option, boolean negated, RuleWords words, RuleSoFar rule);

    /**
     * The finished match.
     *
     * @throws IllegalArgumentException when the options do not make a valid match
     */
    abstract Match build(RuleSoFar rule);

    /** Refuses a {@code !} before an option iptables does not let one negate. */
    static void noNegate(boolean negated, String option) {
        if (negated) {
            throw new IllegalArgumentException("'!' cannot negate " + option);
        }
    }

    /** The reader of {@code -m NAME}, or {@code null} when kpsim does not evaluate that module. */
    static ModuleBuilder forName(String name) {
        return switch (name) {
            case "tcp" -> new TcpUdpOptions(Protocol.TCP);
            case "udp" -> new TcpUdpOptions(Protocol.UDP);
            case "conntrack" -> new ConntrackMatch.Options();
            case "state" -> new StateMatch.Options();
            case "mark" -> new MarkMatch.Options(false);
            case "connmark" -> new MarkMatch.Options(true);
            case "statistic" -> new StatisticMatch.Options();
            case "comment" -> new TextOptionBuilder("comment", "--comment", CommentMatch::new);
            case "addrtype" -> new AddrTypeMatch.Options();
            case "multiport" -> new MultiportMatch.Options();
            case "icmp" -> new IcmpMatch.Options();
            case "nfacct" -> new TextOptionBuilder("nfacct", "--nfacct-name", NfacctMatch::new);
            case "recent" -> new RecentMatch.Options();
            case "set" -> new SetMatch.Options();
            case "limit" -> new LimitMatch.Options();
            case "iprange" -> new IprangeMatch.Options();
            case "length" -> new LengthMatch.Options();
            case "ttl" -> new TtlMatch.Options();
            case "pkttype" -> new PkttypeMatch.Options();
            case "physdev" -> new PhysdevMatch.Options();
            case "mac" -> new MacMatch.Options();
            case "sctp" -> new SctpMatch.Options();
            default -> null;
        };
    }

    /** The modules {@link #forName} knows, for error messages. */
    static final String KNOWN = "tcp, udp, icmp, multiport, conntrack, state, mark, connmark, statistic, comment,"
            + " addrtype, nfacct, recent, set, limit, iprange, length, ttl, pkttype, physdev, mac, sctp";
}
