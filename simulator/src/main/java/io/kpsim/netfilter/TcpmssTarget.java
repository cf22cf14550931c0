package io.kpsim.netfilter;

import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;

/**
 * {@code -j TCPMSS --set-mss N | --clamp-mss-to-pmtu} ({@code tcpmss_tg4()} /
 * {@code tcpmss_mangle_packet()} in {@code net/netfilter/xt_TCPMSS.c}): lowers the MSS option of
 * a SYN to {@code N} (never raises it), or adds the option when the SYN has none, with at most
 * 536 (RFC 879's default). {@code --clamp-mss-to-pmtu} uses the path MTU minus 40; kpsim's devices
 * are Ethernet with the default MTU of 1500, so that is 1460. Only for {@code -p tcp}; a segment
 * without SYN is left alone. Continues with the next rule.
 *
 * @param mss the MSS, or {@link #CLAMP_PMTU}
 */
public record TcpmssTarget(int mss) implements Target {

    /** {@code XT_TCPMSS_CLAMP_PMTU}. */
    public static final int CLAMP_PMTU = 0xffff;
    /** The device MTU kpsim assumes. */
    static final int MTU = 1500;

    @Override
    public TargetKind kind() {
        return TargetKind.TCPMSS;
    }

    /** The packet's segment after the target. */
    TcpSegment apply(TcpSegment t) {
        if ((t.flags() & TcpFlags.SYN) == 0) {
            return t;
        }
        int newmss = mss == CLAMP_PMTU ? MTU - 40 : mss;
        TcpOptions o = t.options();
        int set;
        if (o.hasMss()) {
            if (o.mss() <= newmss) {
                return t; // "Never increase MSS, even when setting it"
            }
            set = newmss;
        } else {
            set = Math.min(newmss, 536);
        }
        TcpOptions changed = new TcpOptions(
                set, o.windowScale(), o.sackPermitted(), o.sackBlocks(), o.timestamps(), o.tsVal(), o.tsEcr());
        return new TcpSegment(
                t.srcPort(),
                t.dstPort(),
                t.seq(),
                t.ack(),
                t.flags(),
                t.window(),
                t.urgentPointer(),
                changed,
                t.payloadLength());
    }

    @Override
    public void save(StringBuilder out) {
        out.append(mss == CLAMP_PMTU ? " -j TCPMSS --clamp-mss-to-pmtu" : " -j TCPMSS --set-mss " + mss);
    }

    /** Reads TCPMSS's option; {@code tcpmss_tg4_check()} wants {@code -p tcp}. */
    static TcpmssTarget parse(RuleWords words, RuleSoFar rule) {
        String o = words.nextOption();
        TcpmssTarget t;
        if ("--clamp-mss-to-pmtu".equals(o)) {
            t = new TcpmssTarget(CLAMP_PMTU);
        } else if ("--set-mss".equals(o)) {
            t = new TcpmssTarget(RuleWords.number(words.value(o), o, 0, 0xfffe));
        } else {
            throw new IllegalArgumentException("TCPMSS needs --set-mss N or --clamp-mss-to-pmtu");
        }
        if (!rule.is(Protocol.TCP)) {
            throw new IllegalArgumentException("TCPMSS is only valid with -p tcp");
        }
        return t;
    }
}
