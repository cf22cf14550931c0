package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;

/**
 * The NAT targets' option text ({@code libxt_DNAT}, {@code libxt_SNAT}, {@code libxt_MASQUERADE},
 * {@code libxt_REDIRECT}): {@code ip[-ip][:port[-port]]} ranges and the flags {@code --random},
 * {@code --random-fully}, {@code --persistent}. A port needs {@code -p tcp} or {@code -p udp}, as
 * the extensions check ("Need TCP, UDP, SCTP or DCCP with port specification").
 */
final class NatTargetText {

    private NatTargetText() {}

    /** {@code -j DNAT}. */
    static DnatTarget dnat(RuleWords words, RuleSoFar rule) {
        int[] range = null;
        boolean random = false;
        boolean persistent = false;
        for (String o = words.nextOption(); o != null; o = words.nextOption()) {
            switch (o) {
                case "--to-destination" -> {
                    if (range != null) {
                        throw new IllegalArgumentException("DNAT: multiple --to-destination are not supported");
                    }
                    range = parse(words.value(o), o, rule);
                }
                case "--random" -> random = true;
                case "--persistent" -> persistent = true;
                default -> throw new IllegalArgumentException("DNAT option '" + o + "' unknown");
            }
        }
        if (range == null) {
            throw new IllegalArgumentException("DNAT needs --to-destination");
        }
        return new DnatTarget(range[0], range[1], range[2], range[3], random, persistent);
    }

    /** {@code -j SNAT}. */
    static SnatTarget snat(RuleWords words, RuleSoFar rule) {
        int[] range = null;
        boolean random = false;
        boolean randomFully = false;
        boolean persistent = false;
        for (String o = words.nextOption(); o != null; o = words.nextOption()) {
            switch (o) {
                case "--to-source" -> {
                    if (range != null) {
                        throw new IllegalArgumentException("SNAT: multiple --to-source are not supported");
                    }
                    range = parse(words.value(o), o, rule);
                    if (range[0] == 0) {
                        throw new IllegalArgumentException("SNAT --to-source needs an address");
                    }
                }
                case "--random" -> random = true;
                case "--random-fully" -> randomFully = true;
                case "--persistent" -> persistent = true;
                default -> throw new IllegalArgumentException("SNAT option '" + o + "' unknown");
            }
        }
        if (range == null) {
            throw new IllegalArgumentException("SNAT needs --to-source");
        }
        return new SnatTarget(range[0], range[1], range[2], range[3], random, randomFully, persistent);
    }

    /** {@code -j MASQUERADE}. */
    static MasqueradeTarget masquerade(RuleWords words, RuleSoFar rule) {
        int[] ports = {0, 0};
        boolean random = false;
        boolean randomFully = false;
        for (String o = words.nextOption(); o != null; o = words.nextOption()) {
            switch (o) {
                case "--to-ports" -> ports = ports(words.value(o), "MASQUERADE", o, rule);
                case "--random" -> random = true;
                case "--random-fully" -> randomFully = true;
                default -> throw new IllegalArgumentException("MASQUERADE option '" + o + "' unknown");
            }
        }
        return new MasqueradeTarget(ports[0], ports[1], random, randomFully);
    }

    /** {@code -j REDIRECT}. */
    static RedirectTarget redirect(RuleWords words, RuleSoFar rule) {
        int[] ports = {0, 0};
        for (String o = words.nextOption(); o != null; o = words.nextOption()) {
            switch (o) {
                case "--to-ports" -> ports = ports(words.value(o), "REDIRECT", o, rule);
                case "--random" -> throw new IllegalArgumentException("REDIRECT --random is not modelled");
                default -> throw new IllegalArgumentException("REDIRECT option '" + o + "' unknown");
            }
        }
        return new RedirectTarget(ports[0], ports[1]);
    }

    private static int[] ports(String text, String target, String option, RuleSoFar rule) {
        int dash = text.indexOf('-');
        int min = RuleWords.port(dash < 0 ? text : text.substring(0, dash), option);
        int max = dash < 0 ? min : RuleWords.port(text.substring(dash + 1), option);
        if (min == 0 || max < min) {
            throw new IllegalArgumentException(target + " " + option + " '" + text + "' is invalid");
        }
        if (!rule.is(Protocol.TCP) && !rule.is(Protocol.UDP) && !rule.sctp()) {
            throw new IllegalArgumentException(target + " " + option + " needs -p tcp or -p udp");
        }
        return new int[] {min, max};
    }

    /** {@code [ip[-ip]][:port[-port]]} as {@code {ip, maxIp, minPort, maxPort}} (ip 0: none given). */
    private static int[] parse(String text, String option, RuleSoFar rule) {
        if (text.indexOf('/') >= 0) {
            throw new IllegalArgumentException(
                    option + " '" + text + "': a shifted port range (/port) is not modelled");
        }
        int colon = text.indexOf(':');
        String addr = colon < 0 ? text : text.substring(0, colon);
        int ip = 0;
        int maxIp = 0;
        if (!addr.isEmpty()) {
            int dash = addr.indexOf('-');
            ip = TargetParser.address(dash < 0 ? addr : addr.substring(0, dash), option);
            maxIp = dash < 0 ? ip : TargetParser.address(addr.substring(dash + 1), option);
            if (Integer.compareUnsigned(maxIp, ip) < 0) {
                throw new IllegalArgumentException(option + " address range '" + addr + "' is reversed");
            }
        } else if (colon < 0) {
            throw new IllegalArgumentException(option + " needs an address or :port");
        }
        int min = 0;
        int max = 0;
        if (colon >= 0) {
            String ports = text.substring(colon + 1);
            int dash = ports.indexOf('-');
            min = RuleWords.port(dash < 0 ? ports : ports.substring(0, dash), option);
            max = dash < 0 ? min : RuleWords.port(ports.substring(dash + 1), option);
            if (min == 0 || max < min) {
                throw new IllegalArgumentException(option + " port range '" + ports + "' is invalid");
            }
            if (!rule.is(Protocol.TCP) && !rule.is(Protocol.UDP) && !rule.sctp()) {
                throw new IllegalArgumentException(option + " with a port needs -p tcp or -p udp");
            }
        }
        return new int[] {ip, maxIp, min, max};
    }

    /** Appends {@code [ip[-ip]][:port[-port]]} as the extensions print it. */
    static void range(StringBuilder out, int ip, int maxIp, int minPort, int maxPort) {
        if (ip != 0) {
            out.append(Ip4.format(ip));
            if (maxIp != ip) {
                out.append('-').append(Ip4.format(maxIp));
            }
        }
        if (minPort != 0) {
            out.append(':').append(minPort);
            if (maxPort != minPort) {
                out.append('-').append(maxPort);
            }
        }
    }
}
