package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.conntrack.profile.Release;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.UdpDatagram;
import org.junit.jupiter.api.Test;

/**
 * The switches {@link KernelSwitchTest} does not cover, each on both sides of its boundary (the
 * last release without the change and the first with it) with the packet sequence that exposes it
 * (research notes T2c, T3, T6, T9, T10, I1, C2, C3, C4).
 */
class KernelBoundaryTest {

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

    /**
     * T6: a picked-up (liberal) entry, a new SYN from the client (ignored, annotated) and the
     * server's SYN/ACK to it (resync): up to 4.19.237 the resync and {@code tcp_options()} clear
     * the server side's BE_LIBERAL, so a later segment far beyond the window is INVALID; from
     * 4.19.238 it is kept and the segment passes.
     */
    @Test
    void liberalFlagKeptThroughResyncFrom419238() {
        Kernel before = at("4.19.237");
        Kernel after = at("4.19.238");
        boundary(Switch.TCP_LIBERAL_KEPT, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Flow f = new Flow(k);
            f.client(Flow.ACK, 1000, 5000);
            assertEquals(TcpState.ESTABLISHED, f.state(), "picked up mid-stream");
            TcpOptions opt = TcpOptions.syn(1460, 7, true);
            CtResult syn = f.client(Flow.SYN, 90_000, 0, 64240, 0, opt);
            assertTrue(syn.ignored(), k + ": a SYN in ESTABLISHED is ignored and annotated");
            CtResult synAck = f.server(Flow.SYNACK, 700_000, 90_001, 65160, 0, opt);
            assertNotEquals(CtState.INVALID, synAck.state(), k + ": the SYN/ACK resyncs");
            f.client(Flow.ACK, 90_001, 700_001, 502, 0, TcpOptions.NONE);
            assertEquals(TcpState.ESTABLISHED, f.state());
            CtResult far = f.server(Flow.PSHACK, 700_001 + 50_000_000, 90_001, 509, 100, TcpOptions.NONE);
            if (k == before) {
                assertEquals(CtState.INVALID, far.state(), k.toString());
                assertEquals("SEQ is over the upper bound (over the window of the receiver)", far.reason());
            } else {
                assertNotEquals(CtState.INVALID, far.state(), k + ": still liberal");
            }
        }
    }

    /**
     * T3: in SYN_RECV the server's first data segment (no SYN) with a smaller window than its
     * SYN/ACK: up to 5.15 the old re-init rule (SYN_RECV, REPLY, end past td_end, no SYN needed)
     * re-initialises the server's window to it; from 5.19 (6.1) only a SYN re-initialises, and
     * {@code td_maxwin} keeps the SYN/ACK's window.
     */
    @Test
    void reinitNeedsASynFrom519() {
        Kernel before = KernelProfile.V5_15;
        Kernel after = at("5.19");
        boundary(Switch.TCP_SYN_REINIT_SYN_ONLY, before, after);
        for (Kernel k : new Kernel[] {before, after, KernelProfile.V6_1}) {
            Flow f = new Flow(k);
            TcpOptions opt = TcpOptions.syn(1460, TcpOptions.ABSENT, true);
            f.client(Flow.SYN, 1000, 0, 65535, 0, opt);
            f.server(Flow.SYNACK, 5000, 1001, 65535, 0, opt);
            assertEquals(TcpState.SYN_RECV, f.state());
            int server = TupleHashRef.reply(f.entry);
            assertEquals(65535, f.ct.store().tdMaxWin(server));
            CtResult data = f.server(Flow.PSHACK, 5001, 1001, 1000, 100, TcpOptions.NONE);
            assertNotEquals(CtState.INVALID, data.state(), k.toString());
            assertEquals(k == before ? 1000 : 65535, f.ct.store().tdMaxWin(server), k.toString());
        }
    }

    /**
     * T3b: the client retransmits its SYN with a higher ISN (a re-used tuple) in SYN_SENT. From
     * 5.19 to 6.1.76 {@code tcp_init_sender()} clears the window scale because the server has not
     * sent one yet, so the client's later windows are read unscaled and the server's first 1000
     * data near the end of the scaled window is far past the unscaled one (INVALID); 6.1.77 clears
     * it only for the reply direction.
     */
    @Test
    void retransmittedSynKeepsItsScaleFrom6177() {
        Kernel before = at("6.1.76");
        Kernel after = at("6.1.77");
        boundary(Switch.TCP_SYN_REINIT_REPLY_SCALE, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Flow f = new Flow(k);
            TcpOptions opt = TcpOptions.syn(1460, 7, true);
            f.client(Flow.SYN, 1_687_765_604, 0, 62727, 0, opt);
            f.client(Flow.SYN, 1_944_817_196, 0, 62727, 0, opt);
            int client = TupleHashRef.original(f.entry);
            assertEquals(k == before ? 0 : 7, f.ct.store().tdScale(client), k.toString());
            f.server(Flow.SYNACK, 5000, 1_944_817_197, 65160, 0, opt);
            f.client(Flow.ACK, 1_944_817_197, 5001, 502, 0, TcpOptions.NONE);
            f.server(Flow.PSHACK, 5001, 1_944_817_197, 509, 1000, TcpOptions.NONE);
            // within the scaled window (ack 5001 + 502 << 7 = 69257), far past the unscaled one and its overshoot
            CtResult data = f.server(Flow.PSHACK, 69_150, 1_944_817_197, 509, 100, TcpOptions.NONE);
            if (k == before) {
                assertEquals(CtState.INVALID, data.state(), k + ": 502 unscaled bytes of window");
            } else {
                assertEquals(CtState.ESTABLISHED, data.state(), k.toString());
            }
        }
    }

    /**
     * T9: the client reopens a TIME_WAIT tuple, the server answers the new SYN with a challenge
     * ACK (ignored) carrying the old connection's sequence, above the new ISN, and the client
     * resets with that ACK's number: 6.1.0-6.1.8 check the RST against the window (over the upper
     * bound) and refuse it; 6.1.9 lets it through (CLOSE), so the next SYN starts a new entry.
     */
    @Test
    void rstToAChallengeAckPassesFrom619() {
        Kernel before = at("6.1.8");
        Kernel after = at("6.1.9");
        boundary(Switch.TCP_CHALLENGE_ACK_REUSE, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Flow f = new Flow(k).handshake(50_000_000, 5000, false);
            f.client(Flow.FINACK, f.cSeq, f.sSeq);
            f.server(Flow.FINACK, f.sSeq, f.cSeq + 1);
            f.client(Flow.ACK, f.cSeq + 1, f.sSeq + 1);
            assertEquals(TcpState.TIME_WAIT, f.state());
            TcpOptions opt = TcpOptions.syn(1460, TcpOptions.ABSENT, true);
            CtResult syn = f.client(Flow.SYN, 1000, 0, 65535, 0, opt);
            assertEquals(CtState.NEW, syn.state(), "the reopened tuple");
            CtResult challenge = f.server(Flow.ACK, f.sSeq + 1, f.cSeq + 2);
            assertTrue(challenge.ignored(), k + ": the challenge ACK in SYN_SENT is ignored");
            CtResult rst = f.client(Flow.RST, f.cSeq + 2, 0);
            if (k == before) {
                assertEquals(CtState.INVALID, rst.state(), k.toString());
                assertTrue(rst.reason().startsWith("SEQ is over upper bound "), rst.reason());
                assertEquals(TcpState.SYN_SENT, f.state(), k + ": the stale entry stays");
            } else {
                assertNotEquals(CtState.INVALID, rst.state(), k.toString());
                // the ignored challenge ACK set SEEN_REPLY (nf_conntrack_in() does for an accepted
                // reply), so the RST closes the entry instead of killing it
                assertEquals(TcpState.CLOSE, f.state(), k.toString());
                CtResult again = f.client(Flow.SYN, 1000, 0, 65535, 0, opt);
                assertEquals(CtState.NEW, again.state(), k + ": the retransmitted SYN starts clean");
            }
        }
    }

    /**
     * T2c: after an ignored SYN from the client, an out-of-window RST|ACK from the same client
     * acknowledging that SYN: up to 5.10.258 the "RST to a SYN we let through" shortcut skips the
     * window check whatever the direction; 5.10.259 requires the RST to come from the other side.
     */
    @Test
    void rstAnsweringASynNeedsTheOtherDirectionFrom510259() {
        Kernel before = at("5.10.258");
        Kernel after = at("5.10.259");
        boundary(Switch.TCP_RST_SYN_DIRECTION, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Flow f = new Flow(k).handshake(1000, 5000, false);
            f.server(Flow.PSHACK, f.sSeq, f.cSeq, 65535, 10, TcpOptions.NONE);
            f.client(Flow.ACK, f.cSeq, f.sSeq + 10, 65535, 0, TcpOptions.NONE);
            CtResult syn = f.client(Flow.SYN, 777_000, 0, 65535, 0, TcpOptions.syn(1460, TcpOptions.ABSENT, true));
            assertTrue(syn.ignored());
            CtResult rst = f.client(Flow.RSTACK, f.cSeq + 50_000_000, 777_001, 65535, 0, TcpOptions.NONE);
            if (k == before) {
                assertEquals(CtState.ESTABLISHED, rst.state(), k + ": window check skipped");
                assertEquals(10, f.ct.timeoutSeconds(f.entry, f.now), "the RST's CLOSE timeout");
            } else {
                assertEquals(CtState.INVALID, rst.state(), k.toString());
            }
        }
    }

    /**
     * T10: out-of-window FINs from both sides of an ASSURED connection: up to 6.0 they are INVALID
     * and the entry keeps its 5-day timeout; 6.1 ({@code nf_tcp_handle_invalid()}) lowers it to
     * the UNACK timeout (300 s) at the second.
     */
    @Test
    void outOfWindowFinsShrinkTheTimeoutFrom61() {
        Kernel before = at("6.0");
        Kernel after = KernelProfile.V6_1;
        boundary(Switch.TCP_HANDLE_INVALID, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Flow f = new Flow(k).handshake(1000, 5000, false);
            assertEquals(432_000, f.ct.timeoutSeconds(f.entry, f.now));
            CtResult c = f.client(Flow.FINACK, f.cSeq + 50_000_000, f.sSeq);
            CtResult s = f.server(Flow.FINACK, f.sSeq + 50_000_000, f.cSeq);
            assertEquals(CtState.INVALID, c.state());
            assertEquals(CtState.INVALID, s.state());
            assertEquals(k == before ? 432_000 : 300, f.ct.timeoutSeconds(f.entry, f.now), k.toString());
        }
    }

    /**
     * I1: an ICMP error about A's UDP flow sent to another address than A: RELATED up to 4.19,
     * INVALID from 5.1..5.4 ("outer daddr ... != inner ...").
     */
    @Test
    void icmpErrorToAnotherAddressIsInvalidFrom54() {
        Kernel before = KernelProfile.V4_19;
        Kernel after = KernelProfile.V5_4;
        boundary(Switch.ICMP_OUTER_DADDR_CHECK, before, after);
        int other = Ip4.parse("10.244.9.9");
        for (Kernel k : new Kernel[] {before, after}) {
            Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
            Packet query = Packet.udp(A, B, new UdpDatagram(5000, 53, 20));
            assertTrue(ct.confirm(ct.in(query, true, S).entry(), S));
            Packet toA = Packet.icmp(B, A, IcmpMessage.error(IcmpMessage.DEST_UNREACH, 3, 0, query));
            assertEquals(CtState.RELATED, ct.in(toA, true, 2 * S).state(), k.toString());
            Packet toOther = Packet.icmp(B, other, IcmpMessage.error(IcmpMessage.DEST_UNREACH, 3, 0, query));
            CtResult r = ct.in(toOther, true, 3 * S);
            if (k == before) {
                assertEquals(CtState.RELATED, r.state());
            } else {
                assertEquals(CtState.INVALID, r.state());
                assertTrue(r.reason().startsWith("outer daddr 10.244.9.9 != inner "), r.reason());
            }
        }
    }

    /**
     * C2: a full table whose new tuple's bucket holds only ASSURED entries and whose next bucket
     * holds an unreplied one: 4.19.1 scales {@code hash + i} eight times (the same bucket) and
     * drops the packet; 4.19.13 walks on to the next bucket and early-drops the unreplied entry.
     */
    @Test
    void earlyDropReachesTheNextBucketFrom41913() {
        Kernel before = at("4.19.1");
        Kernel after = at("4.19.13");
        boundary(Switch.EARLY_DROP_NEXT_BUCKET, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Sysctls s = Sysctls.defaults(k)
                    .with("net.netfilter.nf_conntrack_buckets", "64")
                    .with("net.netfilter.nf_conntrack_max", "2");
            Conntrack ct = new Conntrack(k, s, 5);
            EntryTable t = ct.entries();
            // the ASSURED entry: both tuplehashes in bucket b; the unreplied one: both in b + 1;
            // the new tuple hashes to b
            int assuredPort = -1;
            int target = -1;
            int unrepliedPort = -1;
            int newPort = -1;
            for (int port = 20_000; port < 60_000 && newPort < 0; port++) {
                int b1 = bucket(t, A, port, B, 53);
                int b2 = bucket(t, B, 53, A, port);
                if (assuredPort < 0) {
                    if (b1 == b2 && b1 < 63) {
                        assuredPort = port;
                        target = b1;
                    }
                } else if (unrepliedPort < 0) {
                    if (b1 == b2 && b1 == target + 1) {
                        unrepliedPort = port;
                    }
                } else if (b1 == target) {
                    newPort = port;
                }
            }
            assertTrue(newPort > 0, "ports found");
            long now = S;
            udp(ct, A, assuredPort, B, 53, now);
            udp(ct, B, 53, A, assuredPort, now + S / 10);
            udp(ct, A, assuredPort, B, 53, now + 3 * S); // stream: ASSURED
            udp(ct, A, unrepliedPort, B, 53, now + 3 * S);
            assertEquals(2, ct.count());
            CtResult r = ct.in(Packet.udp(A, B, new UdpDatagram(newPort, 53, 20)), true, now + 4 * S);
            if (k == before) {
                assertEquals(CtState.INVALID, r.state(), k + ": table full");
                assertEquals(0, ct.stats().earlyDrop());
            } else {
                assertEquals(CtState.NEW, r.state(), k.toString());
                assertEquals(1, ct.stats().earlyDrop());
            }
        }
    }

    private static int bucket(EntryTable t, int src, int sport, int dst, int dport) {
        Tuple tuple = new Tuple(io.kpsim.packet.Protocol.UDP, src, sport, dst, dport);
        return t.bucketOf(Conntrack.key(tuple, true), Conntrack.key(tuple, false));
    }

    /**
     * C3: ten unreplied UDP entries expire 30 s after they were made. Before 4.19.125..222 the gc
     * worker scans 1/128 of the table every few ms and has reaped them by 100 s; the full scan
     * every 120 s has not, so they still count against nf_conntrack_max; from 5.15.34 the adaptive
     * interval (at most 60 s) reaps them before 100 s again.
     */
    @Test
    void gcSchedulesPerRelease() {
        Kernel incremental = at("4.19.124");
        Kernel full = at("4.19.222");
        Kernel fullOnly = at("5.15.33");
        Kernel adaptive = at("5.15.34");
        boundary(Switch.GC_FULL_SCAN, incremental, full);
        boundary(Switch.GC_ADAPTIVE, fullOnly, adaptive);
        for (Kernel k : new Kernel[] {incremental, full, fullOnly, adaptive}) {
            Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
            long t0 = 10 * S;
            for (int i = 0; i < 10; i++) {
                udp(ct, A, 30_000 + i, B, 53, t0);
            }
            assertEquals(10, ct.count());
            // an unrelated packet at t0 + 100 s runs the gc work due by then; it is never confirmed
            ct.in(Packet.udp(B, A, new UdpDatagram(7, 7, 1)), true, t0 + 100 * S);
            boolean reaped = !k.has(Switch.GC_FULL_SCAN) || k.has(Switch.GC_ADAPTIVE);
            assertEquals(reaped ? 0 : 10, ct.count(), k.toString());
        }
    }

    /**
     * C4: two packets of one socket race (same ORIGINAL tuple); NAT asks whether the second's
     * reply tuple is taken: up to 4.19.13 it is (the first entry has it) and {@code found}
     * counts; from 4.19.14..40 an entry with the same ORIGINAL tuple is not "taken".
     */
    @Test
    void sameOriginIsNotTakenFrom41940() {
        Kernel before = at("4.19.13");
        Kernel after = at("4.19.40");
        boundary(Switch.TUPLE_TAKEN_SAME_ORIGIN, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
            CtResult first = ct.in(Packet.udp(A, B, new UdpDatagram(5000, 53, 20)), true, S);
            CtResult second = ct.in(Packet.udp(A, B, new UdpDatagram(5000, 53, 20)), true, S);
            assertTrue(ct.confirm(first.entry(), S));
            Tuple reply = ct.tuple(second.entry(), CtDir.REPLY);
            boolean taken = ct.natLookup().tupleTaken(reply, second.entry(), S);
            assertEquals(k == before, taken, k.toString());
            assertEquals(k == before ? 1 : 0, ct.stats().found());
        }
    }

    /**
     * C4: the same UDP flow from both ends at once, the first through a NAT hook (NAT_DONE bits,
     * no rewrite): 6.6 merges only into an entry without NAT_DONE bits or the same tuple, so the
     * second is dropped; 6.12 also merges the same flow reversed ({@code nf_ct_match_reverse()}).
     */
    @Test
    void reverseClashMergesFrom612() {
        Kernel before = KernelProfile.V6_6;
        Kernel after = KernelProfile.V6_12;
        boundary(Switch.CLASH_MERGE_REVERSE, before, after);
        for (Kernel k : new Kernel[] {before, after}) {
            Conntrack ct = new Conntrack(k, Sysctls.defaults(k), 1);
            CtResult query = ct.in(Packet.udp(A, B, new UdpDatagram(5000, 53, 20)), true, S);
            CtResult answer = ct.in(Packet.udp(B, A, new UdpDatagram(53, 5000, 20)), true, S);
            ct.setStatus(query.entry(), Status.SRC_NAT_DONE | Status.DST_NAT_DONE);
            assertTrue(ct.confirm(query.entry(), S));
            int confirmed = ct.confirmEntry(answer.entry(), S);
            if (k == before) {
                assertEquals(Conntrack.NO_ENTRY, confirmed, k.toString());
                assertEquals(1, ct.stats().drop());
            } else {
                assertEquals(query.entry(), confirmed, k + ": merged");
                assertEquals(1, ct.stats().clashResolve());
            }
        }
    }

    private static CtResult udp(Conntrack ct, int src, int sport, int dst, int dport, long now) {
        CtResult r = ct.in(Packet.udp(src, dst, new UdpDatagram(sport, dport, 20)), true, now);
        if (r.state() == CtState.NEW && (ct.status(r.entry()) & Status.CONFIRMED) == 0) {
            ct.confirm(r.entry(), now);
        }
        return r;
    }
}
