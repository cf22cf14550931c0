package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpOptions;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The read-only view finds what the tracker finds, reads what it stores, and changes nothing. */
class EntryViewTest {

    @Test
    void findsTheEntryByEitherTupleAndReadsItsTuplesStateAndWindows() {
        Flow f = new Flow(KernelProfile.V6_18).handshake(1000, 5000, true);
        f.server(Flow.PSHACK, f.sSeq, f.cSeq, 509, 1448, TcpOptions.NONE);
        EntryView v = new EntryView(f.ct);
        int byOriginal = v.find(Protocol.TCP, f.clientIp, f.clientPort, f.serverIp, f.serverPort, f.now);
        int byReply = v.find(Protocol.TCP, f.serverIp, f.serverPort, f.clientIp, f.clientPort, f.now);
        assertEquals(f.entry, byOriginal);
        assertEquals(f.entry, byReply);
        assertEquals(Conntrack.NO_ENTRY, v.find(Protocol.TCP, f.clientIp, 1, f.serverIp, f.serverPort, f.now));
        assertEquals(Conntrack.NO_ENTRY, v.find(Protocol.UDP, f.clientIp, f.clientPort, f.serverIp, 8080, f.now));

        assertEquals(f.ct.tuple(f.entry, CtDir.ORIGINAL), tuple(v, f.entry, CtDir.ORIGINAL));
        assertEquals(f.ct.tuple(f.entry, CtDir.REPLY), tuple(v, f.entry, CtDir.REPLY));
        assertEquals(TcpState.ESTABLISHED, v.tcpState(f.entry));
        assertEquals(Protocol.TCP, v.protocol(f.entry));
        // Server (reply direction): ISN 5000, SYN/ACK plus 1448 bytes; window 65160 on the SYN/ACK
        // (never scaled), then 509 << 7.
        assertEquals(5001 + 1448, v.tdEnd(f.entry, CtDir.REPLY));
        assertEquals(Math.max(65160, 509 << 7), v.tdMaxWin(f.entry, CtDir.REPLY));
        assertEquals(7, v.tdScale(f.entry, CtDir.REPLY));
        assertEquals(1001, v.tdEnd(f.entry, CtDir.ORIGINAL));
        // The client's td_maxend: the furthest ack + window the server granted it, here the
        // SYN/ACK's (65160 > 509 << 7); it never moves back.
        assertEquals(1001 + 65160, v.tdMaxEnd(f.entry, CtDir.ORIGINAL));
        EntryStore s = f.ct.store();
        int replyRef = TupleHashRef.reply(f.entry);
        assertEquals(Integer.toUnsignedLong(s.tdMaxEnd(replyRef)), v.tdMaxEnd(f.entry, CtDir.REPLY));
        assertEquals(
                Integer.toUnsignedLong(s.tdMaxWin(TupleHashRef.original(f.entry))),
                v.tdMaxWin(f.entry, CtDir.ORIGINAL));
    }

    @Test
    void anExpiredEntryIsAbsentButNotReapedAndNothingIsCounted() {
        Flow f = new Flow(KernelProfile.V6_18);
        f.client(Flow.SYN, 1000, 0, 64240, 0, TcpOptions.syn(1460, 7, true));
        EntryView v = new EntryView(f.ct);
        ConntrackStats stats = f.ct.stats();
        assertEquals(f.entry, v.find(Protocol.TCP, f.clientIp, f.clientPort, f.serverIp, f.serverPort, f.now));
        f.advance(121 * Flow.SECOND); // past SYN_SENT's 120 s
        assertEquals(
                Conntrack.NO_ENTRY, v.find(Protocol.TCP, f.clientIp, f.clientPort, f.serverIp, f.serverPort, f.now));
        assertEquals(1, f.ct.count(), "the view leaves the expired entry in the table");
        assertTrue(f.ct.alive(f.entry));
        assertEquals(stats, f.ct.stats(), "the view counts no lookup");
        assertEquals(TcpState.SYN_SENT, v.tcpState(f.entry), "its fields are still readable");
        assertEquals(Conntrack.NO_ENTRY, f.ct.find(f.ct.tuple(f.entry, CtDir.ORIGINAL), f.now));
        assertEquals(0, f.ct.count(), "the tracker's own lookup reaps it");
    }

    @Test
    void readingAllocatesNothing() {
        Flow f = new Flow(KernelProfile.V6_18).handshake(1000, 5000, true);
        EntryView v = new EntryView(f.ct);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (int warm = 0; warm < 20_000; warm++) {
            sum += read(v, f);
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 10_000; i++) {
            sum += read(v, f);
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 10000 reads");
        assertTrue(sum != 0);
    }

    private static long read(EntryView v, Flow f) {
        int e = v.find(Protocol.TCP, f.serverIp, f.serverPort, f.clientIp, f.clientPort, f.now);
        long x = v.srcIp(e, CtDir.REPLY)
                + v.dstPort(e, CtDir.ORIGINAL)
                + v.tcpState(e).ordinal();
        x += v.tdEnd(e, CtDir.ORIGINAL) + v.tdMaxEnd(e, CtDir.ORIGINAL) + v.tdMaxWin(e, CtDir.ORIGINAL);
        return x + v.tdEnd(e, CtDir.REPLY) + v.tdMaxEnd(e, CtDir.REPLY) + v.tdScale(e, CtDir.REPLY);
    }

    private static Tuple tuple(EntryView v, int e, CtDir dir) {
        return new Tuple(v.protocol(e), v.srcIp(e, dir), v.srcPort(e, dir), v.dstIp(e, dir), v.dstPort(e, dir));
    }

    @Test
    void anUnknownTupleFindsNothingInAnEmptyTable() {
        Flow f = new Flow(KernelProfile.V4_19);
        assertEquals(
                Conntrack.NO_ENTRY,
                new EntryView(f.ct).find(Protocol.TCP, f.clientIp, f.clientPort, f.serverIp, f.serverPort, f.now));
    }
}
