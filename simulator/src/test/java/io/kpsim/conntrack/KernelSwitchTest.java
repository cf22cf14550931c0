package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.conntrack.profile.Release;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import org.junit.jupiter.api.Test;

/**
 * Each behaviour switch on both sides of its boundary: the last release without the change and
 * the first with it ({@link Kernel#at}), driven by the packet sequence that exposes it (research
 * notes T1..C7, {@code src/docs/kernels.md}). Each test first checks that the two releases really
 * differ in that switch, so a catalogue change that moves a boundary fails here too.
 */
class KernelSwitchTest {

    private static final long S = 1_000_000_000L;
    private static final int A = Ip4.parse("10.244.1.5");
    private static final int B = Ip4.parse("10.96.0.10");

    private static Kernel at(String release) {
        return Kernel.at(Release.parse(release));
    }

    private static void boundary(Switch s, Kernel without, Kernel with) {
        assertFalse(without.has(s), without + " lacks " + s);
        assertTrue(with.has(s), with + " has " + s);
    }

    /** T1: a segment under the lower bound (II) is INVALID up to 6.0 and IGNOREd (still NATed) from 6.1. */
    @Test
    void lowerBoundFailureInvalidBefore61IgnoredFrom61() {
        Kernel before = at("6.0");
        Kernel after = KernelProfile.V6_1;
        boundary(Switch.TCP_WINDOW_IGNORE, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Flow f = new Flow(k).handshake(1000, 5000, true);
            f.server(Flow.PSHACK, f.sSeq, f.cSeq, 509, 1000, TcpOptions.NONE);
            f.client(Flow.ACK, f.cSeq, f.sSeq + 1000);
            CtResult old = f.server(Flow.PSHACK, f.sSeq - 20_000_000, f.cSeq, 509, 100, TcpOptions.NONE);
            if (k == before) {
                assertEquals(CtState.INVALID, old.state(), "6.0: INVALID, the reply escapes reverse NAT");
                assertEquals("SEQ is under the lower bound (already ACKed data retransmitted)", old.reason());
                assertEquals(1, f.ct.stats().invalid());
            } else {
                assertEquals(CtState.ESTABLISHED, old.state(), "6.1: ignored, keeps its conntrack");
                assertTrue(old.ignored());
                assertTrue(old.reason().startsWith("SEQ is under lower bound "), old.reason());
                assertEquals(0, f.ct.stats().invalid());
            }
        }
    }

    /** T8: a small overshoot: 5.15.67 check I text, td_end kept; 5.15.68 "N bytes more", td_end moved; both INVALID. */
    @Test
    void overshootMovesTdEndFrom51568ButStaysInvalidUntil61() {
        Kernel before = at("5.15.67");
        Kernel after = at("5.15.68");
        boundary(Switch.TCP_WINDOW_OVERSHOOT, before, after);
        for (Kernel k : new Kernel[] {before, after, KernelProfile.V6_1}) {
            Flow f = new Flow(k).handshake(1000, 5000, true);
            int server = TupleHashRef.reply(f.entry);
            int maxEnd = f.ct.store().tdMaxEnd(server);
            int tdEnd = f.ct.store().tdEnd(server);
            // check I fails (seq past td_maxend) by 12 bytes, within the client's window
            CtResult r = f.server(Flow.PSHACK, maxEnd + 1, f.cSeq, 509, 10, TcpOptions.NONE);
            int end = maxEnd + 11;
            if (k == before) {
                assertEquals(CtState.INVALID, r.state());
                assertEquals("SEQ is over the upper bound (over the window of the receiver)", r.reason());
                assertEquals(tdEnd, f.ct.store().tdEnd(server), "td_end unchanged");
            } else if (k == after) {
                assertEquals(CtState.INVALID, r.state(), "5.15.68 still marks it INVALID");
                assertEquals("12 bytes more than expected", r.reason());
                assertEquals(end, f.ct.store().tdEnd(server), "td_end moved to the segment's end");
            } else {
                assertEquals(CtState.ESTABLISHED, r.state(), "6.1: ignored");
                assertTrue(r.ignored());
                assertEquals(end, f.ct.store().tdEnd(server));
            }
        }
    }

    /** T2: an in-window RST with an inexact sequence closes before 4.19.14..40 and keeps ESTABLISHED after. */
    @Test
    void inexactRstClosesBeforeTheExactSequenceRule() {
        Kernel before = at("4.19.13");
        Kernel after = at("4.19.40");
        boundary(Switch.TCP_RST_EXACT_SEQUENCE, before, after);
        assertFalse(KernelProfile.V4_14.has(Switch.TCP_RST_EXACT_SEQUENCE), "never in 4.14.y");
        for (Kernel k : new Kernel[] {before, after}) {
            Flow f = new Flow(k).handshake(1000, 5000, true);
            CtResult r = f.server(Flow.RST, f.sSeq + 10, 0);
            assertEquals(CtState.ESTABLISHED, r.state());
            assertEquals(k == before ? TcpState.CLOSE : TcpState.ESTABLISHED, f.state(), k.toString());
            assertEquals(10, f.ct.timeoutSeconds(f.entry, f.now), "the CLOSE timeout either way");
        }
    }

    /** T5: the commit's reproducer: a scaled window that is a multiple of 65536 read as 0 before 4.19.67. */
    @Test
    void scaledWindowMultipleOf65536GaveTheRetransTimeoutBefore41967() {
        Kernel before = at("4.19.66");
        Kernel after = at("4.19.67");
        boundary(Switch.TCP_RETRANS_RAW_WINDOW, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Flow f = new Flow(k);
            f.client(Flow.SYN, 11, 0, 64240, 0, TcpOptions.syn(1460, 8, true));
            f.server(Flow.SYNACK, 82, 12, 65535, 0, TcpOptions.syn(1460, 3, true));
            f.client(Flow.ACK, 12, 83, 512, 0, TcpOptions.NONE);
            assertEquals(TcpState.ESTABLISHED, f.state());
            assertEquals(k == before ? 300 : 432_000, f.ct.timeoutSeconds(f.entry, f.now), k.toString());
        }
    }

    /**
     * T4: a picked-up keepalive, then the peer ACKs SND.NXT: from 4.19.153 the keepalive sender's
     * {@code td_end} moves up by one so check III holds (a loose pickup is liberal, so the packet is
     * accepted either way; the window state is what differs, and what later checks use).
     */
    @Test
    void keepaliveReplyPassesCheckThreeFrom419153() {
        Kernel before = at("4.19.152");
        Kernel after = at("4.19.153");
        boundary(Switch.TCP_KEEPALIVE_TD_END, before, after);
        assertFalse(KernelProfile.V4_14.has(Switch.TCP_KEEPALIVE_TD_END));
        for (Kernel k : new Kernel[] {before, after}) {
            Flow f = new Flow(k);
            f.client(Flow.ACK, 9999, 5001, 502, 0, TcpOptions.NONE); // keepalive: seq = SND.NXT - 1
            int client = TupleHashRef.original(f.entry);
            int tdEnd = f.ct.store().tdEnd(client);
            CtResult reply = f.server(Flow.ACK, 5001, 10000, 509, 0, TcpOptions.NONE);
            assertEquals(CtState.ESTABLISHED, reply.state());
            assertEquals(k == before ? tdEnd : tdEnd + 1, f.ct.store().tdEnd(client), k.toString());
        }
    }

    /** T7: a retransmitted SYN in SYN_SENT renews the 120 s timeout before 5.10.166 and not after. */
    @Test
    void retransmittedSynRenewsTheTimeoutBefore510166() {
        Kernel before = at("5.10.165");
        Kernel after = at("5.10.166");
        boundary(Switch.TCP_SYN_RETRANS_NO_REFRESH, before, after);
        assertFalse(KernelProfile.V4_19.has(Switch.TCP_SYN_RETRANS_NO_REFRESH), "4.19.272, after the pin");
        for (Kernel k : new Kernel[] {before, after}) {
            Flow f = new Flow(k);
            TcpOptions opt = TcpOptions.syn(1460, 7, true);
            f.client(Flow.SYN, 1000, 0, 64240, 0, opt);
            f.advance(100 * S);
            f.client(Flow.SYN, 1000, 0, 64240, 0, opt);
            assertEquals(k == before ? 120 : 20, f.ct.timeoutSeconds(f.entry, f.now), k.toString());
        }
    }

    /** T2b: a RST under td_maxack in TIME_WAIT is "invalid rst" before 5.14 and skips the checks after. */
    @Test
    void rstInAClosingStateSkipsValidationFrom514() {
        Kernel before = KernelProfile.V5_10;
        Kernel after = KernelProfile.V5_15;
        boundary(Switch.TCP_RST_REUSED_TUPLE, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Flow f = new Flow(k).handshake(1000, 5000, true);
            f.server(Flow.PSHACK, f.sSeq, f.cSeq, 509, 100, TcpOptions.NONE);
            f.client(Flow.FINACK, f.cSeq, f.sSeq + 100);
            f.server(Flow.FINACK, f.sSeq + 100, f.cSeq + 1);
            f.client(Flow.ACK, f.cSeq + 1, f.sSeq + 101);
            assertEquals(TcpState.TIME_WAIT, f.state());
            CtResult r = f.server(Flow.RST, f.sSeq + 50, 0);
            if (k == before) {
                assertEquals(CtState.INVALID, r.state());
                assertEquals("invalid rst", r.reason());
            } else {
                assertNotEquals(CtState.INVALID, r.state());
                assertEquals(TcpState.CLOSE, f.state());
            }
        }
    }

    /** T12: a lone RST: silent (pr_debug) before 6.12, "invalid new" logged from 6.12. */
    @Test
    void invalidNewIsLoggedFrom612() {
        boundary(Switch.TCP_INVALID_NEW_LOGGED, KernelProfile.V6_6, KernelProfile.V6_12);
        for (Kernel k : new Kernel[] {KernelProfile.V6_6, KernelProfile.V6_12}) {
            Flow f = new Flow(k);
            CtResult r = f.client(Flow.RST, 1, 2);
            assertEquals(CtState.INVALID, r.state());
            assertEquals(k == KernelProfile.V6_6 ? null : "invalid new", r.reason());
            assertEquals(CtReason.INVALID_NEW, f.ct.lastReason().code(), "the same check refused it");
        }
    }

    /** C6: reopening a TIME_WAIT connection with a SYN counts invalid (the -NF_REPEAT) up to 5.0 only. */
    @Test
    void repeatCountsInvalidOn419Only() {
        Kernel before = KernelProfile.V4_19;
        Kernel after = KernelProfile.V5_4;
        boundary(Switch.REPEAT_NOT_COUNTED_INVALID, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Flow f = new Flow(k).handshake(1000, 5000, false);
            f.client(Flow.FINACK, f.cSeq, f.sSeq);
            f.server(Flow.FINACK, f.sSeq, f.cSeq + 1);
            f.client(Flow.ACK, f.cSeq + 1, f.sSeq + 1);
            assertEquals(TcpState.TIME_WAIT, f.state());
            int old = f.entry;
            CtResult syn = f.client(Flow.SYN, f.cSeq + 100_000, 0, 65535, 0, TcpOptions.syn(1460, 7, true));
            assertEquals(CtState.NEW, syn.state(), "a new connection replaces the old one");
            assertNotEquals(old, -1);
            assertEquals(k == before ? 1 : 0, f.ct.stats().invalid(), k.toString());
        }
    }

    /** U1: query, reply, third packet at t = 1 s: 4.19 180 s ASSURED; 5.4.159 30 s ASSURED; 5.4.160 30 s not. */
    @Test
    void udpStreamAndAssuredRules() {
        Kernel v419 = KernelProfile.V4_19;
        Kernel before = at("5.4.159");
        Kernel after = at("5.4.160");
        boundary(Switch.UDP_STREAM_AFTER_2S, v419, before);
        boundary(Switch.UDP_ASSURED_IN_STREAM_ONLY, before, after);
        for (Kernel k : new Kernel[] {v419, before, after}) {
            Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
            long t = 100 * S;
            CtResult q = udp(ct, A, B, 5000, 53, t);
            udp(ct, B, A, 53, 5000, t + S / 10);
            udp(ct, A, B, 5000, 53, t + S);
            boolean assured = (ct.status(q.entry()) & Status.ASSURED) != 0;
            long timeout = ct.timeoutSeconds(q.entry(), t + S);
            if (k == v419) {
                assertEquals(180, timeout);
                assertTrue(assured);
            } else {
                assertEquals(30, timeout, k.toString());
                assertEquals(k == before, assured, k.toString());
            }
            udp(ct, A, B, 5000, 53, t + 3 * S);
            assertEquals(k == v419 ? 180 : 120, ct.timeoutSeconds(q.entry(), t + 3 * S), k + " after 2 s");
            assertTrue((ct.status(q.entry()) & Status.ASSURED) != 0);
        }
    }

    /** C5: an ICMP error quoting no tracked flow counts error and invalid up to 5.4, error only from 5.10. */
    @Test
    void refusedIcmpErrorCountsInvalidUpTo54() {
        Kernel before = KernelProfile.V5_4;
        Kernel after = KernelProfile.V5_10;
        boundary(Switch.ICMP_ERROR_COUNTS_ERROR_ONLY, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
            Packet quoted = Packet.tcp(A, B, new TcpSegment(40000, 80, 1, 0, Flow.SYN, 65535, 0, TcpOptions.NONE, 0));
            Packet err = Packet.icmp(B, A, IcmpMessage.error(IcmpMessage.DEST_UNREACH, 3, 0, quoted));
            CtResult r = ct.in(err, true, S);
            assertEquals(CtState.INVALID, r.state());
            assertNull(r.reason(), "a lookup failure is never logged");
            assertEquals(1, ct.stats().error());
            assertEquals(k == before ? 1 : 0, ct.stats().invalid(), k.toString());
        }
    }

    /** C4/C5: two racing un-NATed UDP packets: merged everywhere; insert_failed up to 5.4, clash_resolve from 5.6. */
    @Test
    void udpClashMergesAndIsCountedPerVersion() {
        Kernel before = KernelProfile.V5_4;
        Kernel after = KernelProfile.V5_10;
        boundary(Switch.CLASH_INSERT_NAT_CLASH, before, after);
        for (Kernel k : new Kernel[] {KernelProfile.V4_14, before, after, KernelProfile.V6_18}) {
            Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
            CtResult first = ct.in(Packet.udp(A, B, new UdpDatagram(5000, 53, 20)), true, S);
            CtResult second = ct.in(Packet.udp(A, B, new UdpDatagram(5000, 53, 20)), true, S);
            assertNotEquals(first.entry(), second.entry(), "both unconfirmed: the race");
            assertTrue(ct.confirm(first.entry(), S));
            assertEquals(first.entry(), ct.confirmEntry(second.entry(), S), k + ": the loser takes the winner");
            ConntrackStats st = ct.stats();
            boolean old = !k.has(Switch.CLASH_INSERT_NAT_CLASH);
            assertEquals(old ? 1 : 0, st.insertFailed(), k.toString());
            assertEquals(old ? 0 : 1, st.clashResolve(), k.toString());
            assertEquals(0, st.drop());
            assertEquals(1, ct.count());
        }
    }

    /** C4: TCP has no allow_clash: the second SYN of a race is dropped in every version. */
    @Test
    void tcpClashIsDroppedEverywhere() {
        for (Kernel k : KernelProfile.all()) {
            Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
            Packet syn = Packet.tcp(A, B, new TcpSegment(40000, 80, 1, 0, Flow.SYN, 65535, 0, TcpOptions.NONE, 0));
            CtResult first = ct.in(syn, true, S);
            CtResult second = ct.in(syn, true, S);
            assertTrue(ct.confirm(first.entry(), S));
            assertEquals(Conntrack.NO_ENTRY, ct.confirmEntry(second.entry(), S), k.toString());
            assertEquals(1, ct.stats().insertFailed());
            assertEquals(1, ct.stats().drop());
        }
    }

    /** C5: with one bucket, 5.15 refuses a confirmation once the chain passes 50 + rand(30); 5.10 never does. */
    @Test
    void chainTooLongFrom515() {
        Kernel before = KernelProfile.V5_10;
        Kernel after = KernelProfile.V5_15;
        boundary(Switch.CHAIN_TOO_LONG, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Sysctls s = Sysctls.defaults(k).with("net.netfilter.nf_conntrack_buckets", "1");
            Conntrack ct = new Conntrack(k, s, 1);
            int refused = 0;
            for (int i = 0; i < 100; i++) {
                CtResult r = ct.in(Packet.udp(A, B, new UdpDatagram(10_000 + i, 53, 20)), true, S);
                if (!ct.confirm(r.entry(), S)) {
                    refused++;
                }
            }
            if (k == before) {
                assertEquals(0, refused);
                assertEquals(100, ct.count());
            } else {
                // each entry links two nodes into the one bucket, and each confirmation draws its own
                // limit of 50..79 nodes: no refusal below 25 entries, none accepted past 40
                assertTrue(refused >= 60 - 1 && refused <= 75, "refused " + refused);
                assertTrue(ct.count() >= 25 && ct.count() <= 41, "entries " + ct.count());
                assertEquals(refused, ct.stats().chainTooLong());
                assertEquals(refused, ct.stats().insertFailed());
            }
        }
    }

    private static CtResult udp(Conntrack ct, int src, int dst, int sport, int dport, long now) {
        CtResult r = ct.in(Packet.udp(src, dst, new UdpDatagram(sport, dport, 20)), true, now);
        if (r.state() == CtState.NEW && (ct.status(r.entry()) & Status.CONFIRMED) == 0) {
            ct.confirm(r.entry(), now);
        }
        return r;
    }
}
