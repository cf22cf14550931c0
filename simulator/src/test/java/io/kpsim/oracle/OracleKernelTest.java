package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.TcpState;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.replay.ReplayRecord;
import io.kpsim.replay.ReplayRecord.Verdict;
import io.kpsim.replay.ServiceMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replays a hand-made capture through the real kernel (only where the machine can). */
class OracleKernelTest {

    static final int CLIENT = Ip4.parse("10.244.0.7");
    static final int VIP = Ip4.parse("10.96.0.10");
    static final int POD = Ip4.parse("10.244.1.5");
    static final ServiceMapping SERVICE = ServiceMapping.parse("10.96.0.10:80=10.244.1.5:8080");
    static final int C_ISN = 1_000_000;
    static final int S_ISN = 0x7fff_0000;

    @TempDir
    Path dir;

    @BeforeAll
    static void machine() {
        String problems = OracleMachineCheck.summary();
        Assumptions.assumeTrue(problems == null, problems);
    }

    static Packet tcp(
            int src,
            int sport,
            int dst,
            int dport,
            int seq,
            int ack,
            int flags,
            int window,
            TcpOptions options,
            int length) {
        return Packet.tcp(src, dst, new TcpSegment(sport, dport, seq, ack, flags, window, 0, options, length));
    }

    /** Handshake, data both ways, a server segment far over the window, the client's RST to the pod. */
    static List<Packet> resetStory() {
        int ack = TcpFlags.ACK;
        return List.of(
                tcp(CLIENT, 40001, VIP, 80, C_ISN, 0, TcpFlags.SYN, 64240, TcpOptions.syn(1460, 7, true), 0),
                tcp(
                        POD,
                        8080,
                        CLIENT,
                        40001,
                        S_ISN,
                        C_ISN + 1,
                        TcpFlags.SYN | ack,
                        65160,
                        TcpOptions.syn(1460, 7, true),
                        0),
                tcp(CLIENT, 40001, VIP, 80, C_ISN + 1, S_ISN + 1, ack, 502, TcpOptions.NONE, 0),
                tcp(CLIENT, 40001, VIP, 80, C_ISN + 1, S_ISN + 1, ack | TcpFlags.PSH, 502, TcpOptions.NONE, 100),
                tcp(POD, 8080, CLIENT, 40001, S_ISN + 1, C_ISN + 101, ack | TcpFlags.PSH, 509, TcpOptions.NONE, 200),
                tcp(POD, 8080, CLIENT, 40001, S_ISN + 201 + 50_000_000, C_ISN + 101, ack, 509, TcpOptions.NONE, 100),
                tcp(CLIENT, 40001, POD, 8080, C_ISN + 101, 0, TcpFlags.RST, 0, TcpOptions.NONE, 0));
    }

    @Test
    void kernelMarksTheOverWindowReplyInvalidAndLeavesItUnNatted() {
        Path capture = dir.resolve("reset.pcap");
        ConversationGenerator.write(capture, resetStory());
        Map<Path, List<ReplayRecord>> out =
                Oracle.kernel(OracleConfig.of(List.of(SERVICE), false, false), List.of(capture));
        List<ReplayRecord> r = out.get(capture);
        assertEquals(7, r.size());
        assertRecord(r.get(0), CtState.NEW, CtDir.ORIGINAL, TcpState.SYN_SENT, "10.244.0.7:40001", "10.244.1.5:8080");
        assertRecord(
                r.get(1), CtState.ESTABLISHED, CtDir.REPLY, TcpState.SYN_RECV, "10.96.0.10:80", "10.244.0.7:40001");
        assertRecord(
                r.get(2),
                CtState.ESTABLISHED,
                CtDir.ORIGINAL,
                TcpState.ESTABLISHED,
                "10.244.0.7:40001",
                "10.244.1.5:8080");
        assertRecord(
                r.get(4), CtState.ESTABLISHED, CtDir.REPLY, TcpState.ESTABLISHED, "10.96.0.10:80", "10.244.0.7:40001");
        ReplayRecord overWindow = r.get(5);
        assertRecord(overWindow, CtState.INVALID, null, TcpState.ESTABLISHED, "10.244.1.5:8080", "10.244.0.7:40001");
        assertNotNull(overWindow.reason());
        assertTrue(overWindow.reason().startsWith("SEQ is over upper bound"), overWindow.reason());
        ReplayRecord rst = r.get(6);
        // C:c > P:p equals neither tuplehash of the entry (C:c > VIP:v, P:p > C:c): no tcp_state.
        assertRecord(rst, CtState.INVALID, null, null, "10.244.0.7:40001", "10.244.1.5:8080");
        assertEquals("invalid new", rst.reason());
        assertNull(r.get(2).reason());
    }

    @Test
    void dropInvalidDropsButKeepsTheCtstate() {
        Path capture = dir.resolve("reset-drop.pcap");
        ConversationGenerator.write(capture, resetStory());
        List<ReplayRecord> r = Oracle.kernel(OracleConfig.of(List.of(SERVICE), false, true), List.of(capture))
                .get(capture);
        assertEquals(Verdict.ACCEPT, r.get(4).verdict());
        for (int i : new int[] {5, 6}) {
            assertEquals(CtState.INVALID, r.get(i).ctstate());
            assertEquals(Verdict.DROP, r.get(i).verdict());
            assertNull(r.get(i).outSrc());
            assertNotNull(r.get(i).reason());
        }
    }

    @Test
    void beLiberalIsSetInTheNodeNamespaceAndRescuesTheOverWindowReply() {
        Path capture = dir.resolve("reset-liberal.pcap");
        ConversationGenerator.write(capture, resetStory());
        List<ReplayRecord> r = Oracle.kernel(OracleConfig.of(List.of(SERVICE), true, true), List.of(capture))
                .get(capture);
        assertRecord(
                r.get(5), CtState.ESTABLISHED, CtDir.REPLY, TcpState.ESTABLISHED, "10.96.0.10:80", "10.244.0.7:40001");
        assertEquals(CtState.INVALID, r.get(6).ctstate(), "be_liberal does not rescue 'invalid new'");
        assertEquals(Verdict.DROP, r.get(6).verdict());
    }

    @Test
    void packetsTheKernelDropsBeforeForwardAreConcludedWithoutWaitingForTheBound() {
        // TTL 1: ip_forward() drops the packet (and answers ICMP time exceeded) after PREROUTING and
        // before FORWARD, so there is neither a copy nor a FORWARD mark; only the sentinel says "done".
        List<Packet> packets = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            packets.add(new Packet(
                    CLIENT,
                    VIP,
                    0,
                    1 + i,
                    1,
                    new TcpSegment(40101 + i, 80, C_ISN, 0, TcpFlags.SYN, 64240, 0, TcpOptions.syn(1460, 7, true), 0)));
        }
        packets.add(tcp(CLIENT, 40001, VIP, 80, C_ISN, 0, TcpFlags.SYN, 64240, TcpOptions.syn(1460, 7, true), 0));
        Path capture = dir.resolve("ttl.pcap");
        ConversationGenerator.write(capture, packets);
        OracleConfig config = new OracleConfig(
                List.of(SERVICE),
                io.kpsim.conntrack.profile.KernelProfile.V6_18,
                new java.util.TreeMap<>(),
                false,
                java.time.Duration.ofSeconds(60));
        long start = System.nanoTime();
        List<ReplayRecord> r = Oracle.kernel(config, List.of(capture)).get(capture);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < 30, "three drops must not each wait for the 60 s bound; took " + seconds + " s");
        for (int i = 0; i < 3; i++) {
            assertEquals(Verdict.DROP, r.get(i).verdict(), r.get(i).toJson());
            assertNull(r.get(i).outSrc(), r.get(i).toJson());
        }
        assertRecord(r.get(3), CtState.NEW, CtDir.ORIGINAL, TcpState.SYN_SENT, "10.244.0.7:40001", "10.244.1.5:8080");
    }

    @Test
    void teardownRemovesTheNamespacesEvenWhenTheBodyThrows() {
        AddressPlan plan = new AddressPlan(List.of(SERVICE), List.of());
        String[] names = new String[2];
        assertThrows(IllegalStateException.class, () -> {
            try (OracleTopology t = OracleTopology.create(OracleConfig.of(List.of(SERVICE), false, false), plan)) {
                names[0] = t.harnessNamespace();
                names[1] = t.nodeNamespace();
                assertTrue(t.namespacesExist());
                throw new IllegalStateException("body failed");
            }
        });
        String list = Commands.run(List.of("ip", "netns", "list"));
        assertFalse(list.contains(names[0]), list);
        assertFalse(list.contains(names[1]), list);
    }

    @Test
    void runComparesEveryRecordWithTheModel() {
        Path capture = dir.resolve("compare.pcap");
        ConversationGenerator.write(capture, resetStory());
        OracleConfig config = OracleConfig.of(List.of(SERVICE), false, false);
        List<ReplayRecord> kernel = Oracle.kernel(config, List.of(capture)).get(capture);
        List<ReplayRecord> model = new java.util.ArrayList<>(kernel);
        ReplayRecord r = kernel.get(5);
        model.set(
                5,
                new ReplayRecord(
                        r.file(),
                        5,
                        CtState.ESTABLISHED,
                        CtDir.REPLY,
                        r.tcpState(),
                        r.verdict(),
                        "10.96.0.10:80",
                        r.outDst(),
                        null,
                        null,
                        r.reason(),
                        null));
        OracleReport report = Oracle.run(config, List.of(capture), p -> model);
        assertEquals(7, report.packets());
        assertEquals(OracleReport.EXIT_DIFFER, report.exitCode());
        assertEquals(
                List.of("ctstate", "ctdir", "out_src"),
                report.comparisons().get(5).diff());
        assertEquals(1, report.disagreements());
        assertEquals(capture.toString(), report.comparisons().get(0).file());
    }

    @Test
    void aHostWideSysctlIsRefusedAndNothingIsLeftBehind() {
        java.util.TreeMap<String, String> sysctls = new java.util.TreeMap<>();
        sysctls.put("net.netfilter.nf_conntrack_max", "1000");
        OracleConfig config = new OracleConfig(
                List.of(SERVICE),
                io.kpsim.conntrack.profile.KernelProfile.V6_18,
                sysctls,
                false,
                OracleConfig.DEFAULT_VERDICT_TIMEOUT);
        Path capture = dir.resolve("max.pcap");
        ConversationGenerator.write(capture, resetStory());
        OracleException e = assertThrows(OracleException.class, () -> Oracle.kernel(config, List.of(capture)));
        assertTrue(e.getMessage().startsWith("net.netfilter.nf_conntrack_max is host-wide"), e.getMessage());
        String ours = "kps-" + Long.toString(ProcessHandle.current().pid(), 36);
        String list = Commands.run(List.of("ip", "netns", "list"));
        assertFalse(list.contains(ours), list);
    }

    private static void assertRecord(ReplayRecord r, CtState state, CtDir dir, TcpState tcp, String src, String dst) {
        String at = r.toJson();
        assertEquals(state, r.ctstate(), at);
        assertEquals(dir, r.ctdir(), at);
        assertEquals(tcp, r.tcpState(), at);
        assertEquals(Verdict.ACCEPT, r.verdict(), at);
        assertEquals(src, r.outSrc(), at);
        assertEquals(dst, r.outDst(), at);
    }
}
