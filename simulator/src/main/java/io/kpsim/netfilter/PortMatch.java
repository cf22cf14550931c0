package io.kpsim.netfilter;

import io.kpsim.packet.Protocol;
import java.util.Locale;

/**
 * {@code -m tcp} or {@code -m udp} with optional {@code [!] --sport} and {@code [!] --dport}
 * ranges ({@code tcp_mt()}/{@code udp_mt()} in {@code net/netfilter/xt_tcpudp.c}). A range of
 * {@code 0:65535} means "any" and is not printed, as {@code libxt_tcp} does.
 *
 * @param protocol TCP or UDP: the module's name
 * @param sportMin lowest source port
 * @param sportMax highest source port
 * @param sportNegated {@code ! --sport}
 * @param dportMin lowest destination port
 * @param dportMax highest destination port
 * @param dportNegated {@code ! --dport}
 */
public record PortMatch(
        Protocol protocol,
        int sportMin,
        int sportMax,
        boolean sportNegated,
        int dportMin,
        int dportMax,
        boolean dportNegated)
        implements Match {

    /** The full port range. */
    public static final int ANY_MAX = 0xffff;

    /** Validates ranges. */
    public PortMatch {
        if (protocol != Protocol.TCP && protocol != Protocol.UDP) {
            throw new IllegalArgumentException("port match module must be tcp or udp, not " + protocol);
        }
        checkRange(sportMin, sportMax, "--sport");
        checkRange(dportMin, dportMax, "--dport");
    }

    /** A bare {@code -m tcp} / {@code -m udp} module that checks only the protocol. */
    public static PortMatch any(Protocol protocol) {
        return new PortMatch(protocol, 0, ANY_MAX, false, 0, ANY_MAX, false);
    }

    /** This module with {@code --dport port}. */
    public PortMatch withDport(int min, int max, boolean negated) {
        return new PortMatch(protocol, sportMin, sportMax, sportNegated, min, max, negated);
    }

    /** This module with {@code --sport port}. */
    public PortMatch withSport(int min, int max, boolean negated) {
        return new PortMatch(protocol, min, max, negated, dportMin, dportMax, dportNegated);
    }

    private static void checkRange(int min, int max, String what) {
        if (min < 0 || max > ANY_MAX || min > max) {
            throw new IllegalArgumentException(what + " range " + min + ":" + max + " is not within 0:65535");
        }
    }

    @Override
    public boolean matches(Skb skb) {
        if (skb.packet().protocol() != protocol) {
            return false;
        }
        int sport = skb.packet().srcPort();
        int dport = skb.packet().dstPort();
        return ((sport >= sportMin && sport <= sportMax) != sportNegated)
                && ((dport >= dportMin && dport <= dportMax) != dportNegated);
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m ").append(protocol.name().toLowerCase(Locale.ROOT));
        savePorts(out, "--sport", sportMin, sportMax, sportNegated);
        savePorts(out, "--dport", dportMin, dportMax, dportNegated);
    }

    private static void savePorts(StringBuilder out, String option, int min, int max, boolean negated) {
        if (min == 0 && max == ANY_MAX) {
            return;
        }
        out.append(negated ? " ! " : " ").append(option).append(' ').append(min);
        if (max != min) {
            out.append(':').append(max);
        }
    }
}
