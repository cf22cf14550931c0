package io.kpsim.netfilter;

import io.kpsim.packet.Protocol;

/**
 * Reads {@code -m tcp} / {@code -m udp} ({@code libxt_tcp}, {@code libxt_udp}):
 * {@code [!] --sport}, {@code [!] --dport} and, for tcp, {@code [!] --tcp-flags MASK COMP} and
 * {@code [!] --syn}. Builds a {@link PortMatch}, or a {@link TcpMatch} when a flag test was given;
 * {@code tcp_mt_check()} wants {@code -p tcp} (the module is loaded implicitly after it).
 */
final class TcpUdpOptions extends ModuleBuilder {

    private final Protocol protocol;
    private PortMatch ports;
    private int flagMask;
    private int flagCompare;
    private boolean flagsNegated;
    private boolean flagsGiven;

    TcpUdpOptions(Protocol protocol) {
        this.protocol = protocol;
        this.ports = PortMatch.any(protocol);
    }

    @Override
    String name() {
        return protocol == Protocol.TCP ? "tcp" : "udp";
    }

    @Override
    boolean accepts(String option) {
        return switch (option) {
            case "--sport", "--source-port", "--dport", "--destination-port" -> true;
            case "--tcp-flags", "--syn" -> protocol == Protocol.TCP;
            default -> false;
        };
    }

    @Override
    void option(String option, boolean negated, RuleWords words, RuleSoFar rule) {
        switch (option) {
            case "--sport", "--source-port" -> {
                int[] r = RuleWords.portRange(words.value(option), option);
                ports = ports.withSport(r[0], r[1], negated);
            }
            case "--dport", "--destination-port" -> {
                int[] r = RuleWords.portRange(words.value(option), option);
                ports = ports.withDport(r[0], r[1], negated);
            }
            case "--tcp-flags" -> {
                once();
                flagMask = TcpMatch.flags(words.value(option));
                flagCompare = TcpMatch.flags(words.value(option));
                flagsNegated = negated;
            }
            default -> {
                once();
                flagMask = TcpMatch.SYN_MASK;
                flagCompare = io.kpsim.packet.TcpFlags.SYN;
                flagsNegated = negated;
            }
        }
    }

    private void once() {
        if (flagsGiven) {
            throw new IllegalArgumentException("tcp: only one of --tcp-flags and --syn may be given");
        }
        flagsGiven = true;
    }

    @Override
    Match build(RuleSoFar rule) {
        if (!rule.is(protocol)) {
            throw new IllegalArgumentException(name() + " match: only valid for protocol " + protocol.number()
                    + " (add -p " + name() + "; the kernel's xt_check_match refuses it)");
        }
        if (flagsGiven) {
            return new TcpMatch(ports, flagMask, flagCompare, flagsNegated);
        }
        return ports;
    }
}
