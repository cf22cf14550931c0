package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import java.util.Set;

/**
 * Reads a rule's target and its options ({@code -j NAME ...} or {@code -g CHAIN}), as the
 * {@code libxt_*}/{@code libipt_*} target extensions parse them and the kernel's
 * {@code checkentry} checks them ({@code reject_tg_check()}, {@code tcpmss_tg4_check()}, ...).
 * A name that is neither a target kpsim models nor a declared chain is refused, as
 * {@code iptables-restore} refuses it ("Couldn't load target").
 */
final class TargetParser {

    private final String name;
    private final RuleWords words;
    private final RuleSoFar rule;

    private TargetParser(String name, RuleWords words, RuleSoFar rule) {
        this.name = name;
        this.words = words;
        this.rule = rule;
    }

    /**
     * The target {@code -j name} (or {@code -g name}) with the options that follow it.
     *
     * @param chains the chains declared in the table so far
     */
    static Target parse(String name, boolean goTo, RuleWords words, RuleSoFar rule, Set<String> chains) {
        if (goTo) {
            undeclared(name, "-g", chains);
            return new JumpTarget(name, true);
        }
        TargetParser p = new TargetParser(name, words, rule);
        return switch (name) {
            case "ACCEPT" -> VerdictTarget.ACCEPT;
            case "DROP" -> VerdictTarget.DROP;
            case "RETURN" -> VerdictTarget.RETURN;
            case "DNAT" -> NatTargetText.dnat(words, rule);
            case "SNAT" -> NatTargetText.snat(words, rule);
            case "MASQUERADE" -> NatTargetText.masquerade(words, rule);
            case "REDIRECT" -> NatTargetText.redirect(words, rule);
            case "MARK" -> p.mark();
            case "CONNMARK" -> ConnmarkTarget.parse(words);
            case "DSCP" -> new DscpTarget(RuleWords.number(p.required("--set-dscp"), "--set-dscp", 0, 63));
            case "TOS" -> TosTarget.parse(words);
            case "TCPMSS" -> TcpmssTarget.parse(words, rule);
            case "CT" -> p.ct();
            case "NOTRACK" -> new NotrackTarget(false);
            case "LOG" -> new LogTarget(p.flag("--log-prefix") ? words.value("--log-prefix") : "");
            case "NFLOG" -> NflogTarget.parse(words);
            case "REJECT" -> p.reject();
            default -> {
                undeclared(name, "-j", chains);
                yield new JumpTarget(name, false);
            }
        };
    }

    /** iptables-restore's "Couldn't load target": a jump to a name that is neither a target nor a chain. */
    private static void undeclared(String name, String option, Set<String> chains) {
        if (!chains.contains(name)) {
            throw new IllegalArgumentException("target " + name + " is not modelled, and no chain " + name
                    + " is declared before this line (" + option + " " + name + ")");
        }
    }

    /** {@code -j CT --notrack} or {@code -j CT --zone N} ({@code xt_CT.c}). */
    private Target ct() {
        String opt = words.nextOption();
        if (opt == null) {
            throw new IllegalArgumentException("CT needs --notrack or --zone (kpsim models those)");
        }
        return switch (opt) {
            case "--notrack" -> new NotrackTarget(true);
            case "--zone" -> new CtZoneTarget(RuleWords.number(words.value(opt), opt, 0, 0xffff));
            default ->
                throw new IllegalArgumentException(
                        "CT option '" + opt + "' is not modelled" + " (kpsim models --notrack and --zone)");
        };
    }

    /**
     * {@code libipt_REJECT}: the default is icmp-port-unreachable; {@code reject_tg_check()} wants
     * {@code -p tcp} for a reset.
     */
    private RejectTarget reject() {
        RejectWith with = flag("--reject-with")
                ? RejectTarget.parseWith(words.value("--reject-with"))
                : RejectWith.icmp(RejectWith.PORT_UNREACHABLE);
        if (with.tcpReset() && !rule.is(Protocol.TCP)) {
            throw new IllegalArgumentException("REJECT --reject-with tcp-reset is only valid with -p tcp"
                    + " (the kernel's reject_tg_check refuses it)");
        }
        return new RejectTarget(with);
    }

    private MarkTarget mark() {
        if (!words.more()) {
            throw new IllegalArgumentException(
                    "MARK needs --set-xmark, --set-mark, --or-mark, --xor-mark or --and-mark");
        }
        String opt = words.next();
        String v = words.value(opt);
        return switch (opt) {
            case "--set-xmark" -> {
                int[] vm = RuleWords.valueMask(v, -1, opt);
                yield new MarkTarget(vm[0], vm[1]);
            }
            case "--set-mark" -> {
                int[] vm = RuleWords.valueMask(v, -1, opt);
                yield new MarkTarget(vm[0], vm[1] | vm[0]);
            }
            case "--or-mark" -> {
                int bits = RuleWords.number(v, opt);
                yield new MarkTarget(bits, bits);
            }
            case "--xor-mark" -> new MarkTarget(RuleWords.number(v, opt), 0);
            case "--and-mark" -> new MarkTarget(0, ~RuleWords.number(v, opt));
            default -> throw new IllegalArgumentException("MARK option '" + opt + "' unknown");
        };
    }

    /** Consumes {@code option value} after the target, requiring it. */
    private String required(String option) {
        if (!words.flag(option)) {
            throw new IllegalArgumentException(name + " needs " + option);
        }
        return words.value(option);
    }

    private boolean flag(String option) {
        return words.flag(option);
    }

    /** {@code Ip4.parse} with the option named in the error. */
    static int address(String text, String option) {
        if (!Ip4.isValid(text)) {
            throw new IllegalArgumentException(option + " '" + text + "' is not an IPv4 address");
        }
        return Ip4.parse(text);
    }
}
