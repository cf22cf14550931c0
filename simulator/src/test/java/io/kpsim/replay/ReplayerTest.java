package io.kpsim.replay;

import static io.kpsim.replay.CaptureFixture.CLIENT_ISN;
import static io.kpsim.replay.CaptureFixture.SERVER_ISN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.TcpState;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.pcap.CaptureException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blog's story and kubernetes' regression-issue-74839 pattern, replayed from captures. */
class ReplayerTest {

    @TempDir
    Path dir;

    private List<ReplayRecord> replay(
            CaptureFixture capture, KernelProfile kernel, boolean beLiberal, boolean dropInvalid) {
        Sysctls sysctls = Sysctls.defaults(kernel);
        if (beLiberal) {
            sysctls = sysctls.with("net.netfilter.nf_conntrack_tcp_be_liberal", "1");
        }
        NodeConfig config =
                new NodeConfig(List.of(ServiceMapping.parse(CaptureFixture.SERVICE)), kernel, sysctls, dropInvalid, 7);
        Path file = capture.write(dir.resolve("c.pcap"));
        return new Replayer(config, false).replay(file, "c.pcap");
    }

    @Test
    void blogStoryOutOfWindowReplyIsInvalidAndNotDeNated() {
        for (KernelProfile kernel : List.of(KernelProfile.V4_19, KernelProfile.V6_18)) {
            List<ReplayRecord> r = replay(CaptureFixture.blogStory(), kernel, false, false);
            assertEquals(8, r.size());
            ReplayRecord syn = r.get(0);
            assertEquals(CtState.NEW, syn.ctstate());
            assertEquals(CtDir.ORIGINAL, syn.ctdir());
            assertEquals(TcpState.SYN_SENT, syn.tcpState());
            assertEquals("10.244.2.3:8080", syn.outDst(), "the SYN is DNATed to the pod");
            ReplayRecord synAck = r.get(1);
            assertEquals(CtState.ESTABLISHED, synAck.ctstate());
            assertEquals(CtDir.REPLY, synAck.ctdir());
            assertEquals("10.96.0.10:80", synAck.outSrc(), "the SYN-ACK is reverse-NATed to the VIP");
            assertEquals(TcpState.ESTABLISHED, r.get(2).tcpState());

            ReplayRecord bad = r.get(6);
            assertEquals(CtState.INVALID, bad.ctstate(), kernel + ": " + bad);
            assertNull(bad.ctdir());
            assertEquals(TcpState.ESTABLISHED, bad.tcpState(), "the entry itself is untouched");
            assertEquals(ReplayRecord.Verdict.ACCEPT, bad.verdict());
            assertEquals("10.244.2.3:8080", bad.outSrc(), "INVALID: no reverse NAT, the pod IP leaks");
            assertTrue(
                    bad.reason()
                            .startsWith(
                                    kernel == KernelProfile.V4_19
                                            ? "SEQ is over the upper bound"
                                            : "SEQ is over upper bound"),
                    bad.reason());

            ReplayRecord rst = r.get(7);
            assertEquals(CtState.INVALID, rst.ctstate());
            assertEquals(
                    kernel == KernelProfile.V4_19 ? "invalid new (not logged by this kernel)" : "invalid new",
                    rst.reason());
            assertNull(rst.tcpState(), "the RST's tuple matches no entry");
            assertEquals(ReplayRecord.Verdict.ACCEPT, rst.verdict());
            assertEquals("10.244.2.3:8080", rst.outDst(), "the RST reaches the pod");
        }
    }

    @Test
    void beLiberalAcceptsTheOutOfWindowReplyAndDeNatsIt() {
        List<ReplayRecord> r = replay(CaptureFixture.blogStory(), KernelProfile.V4_19, true, false);
        ReplayRecord bad = r.get(6);
        assertEquals(CtState.ESTABLISHED, bad.ctstate());
        assertEquals(CtDir.REPLY, bad.ctdir());
        assertEquals("10.96.0.10:80", bad.outSrc());
        assertNull(bad.reason());
    }

    @Test
    void dropInvalidDropsTheOutOfWindowReply() {
        List<ReplayRecord> r = replay(CaptureFixture.blogStory(), KernelProfile.V4_19, false, true);
        ReplayRecord bad = r.get(6);
        assertEquals(CtState.INVALID, bad.ctstate());
        assertEquals(ReplayRecord.Verdict.DROP, bad.verdict());
        assertNull(bad.outSrc());
        assertNull(bad.outDst());
        assertEquals(ReplayRecord.Verdict.ACCEPT, r.get(5).verdict());
    }

    @Test
    void regressionIssue74839IsInvalidOn419AndIgnoredOn618() {
        CaptureFixture boom = new CaptureFixture().handshake();
        boom.server(TcpFlags.PSH | TcpFlags.ACK, SERVER_ISN + 1 - 100_000, CLIENT_ISN + 1, 509, 7, TcpOptions.NONE);

        ReplayRecord old = replay(boom, KernelProfile.V4_19, false, false).get(3);
        assertEquals(CtState.INVALID, old.ctstate());
        assertEquals("10.244.2.3:8080", old.outSrc());
        assertEquals("SEQ is under the lower bound (already ACKed data retransmitted)", old.reason());

        ReplayRecord current = replay(boom, KernelProfile.V6_18, false, false).get(3);
        assertEquals(CtState.ESTABLISHED, current.ctstate());
        assertEquals(CtDir.REPLY, current.ctdir());
        assertEquals("10.96.0.10:80", current.outSrc(), "6.1+ ignores it: still reverse-NATed");
        assertTrue(current.reason().startsWith("SEQ is under lower bound"), current.reason());
    }

    @Test
    void jsonLineHasDesignKeysInOrder() {
        ReplayRecord syn = replay(CaptureFixture.blogStory(), KernelProfile.V6_18, false, false)
                .get(0);
        assertEquals(
                "{\"file\":\"c.pcap\",\"index\":0,\"ts\":\"1700000000.000000000\",\"src\":\"10.244.1.2:40001\","
                        + "\"dst\":\"10.96.0.10:80\",\"proto\":\"tcp\",\"flags\":\"S\",\"seq\":1000,\"ack\":0,"
                        + "\"len\":0,\"ctstate\":\"NEW\",\"ctdir\":\"ORIGINAL\","
                        + "\"tcp_state\":\"SYN_SENT\",\"verdict\":\"ACCEPT\",\"out_src\":\"10.244.1.2:40001\","
                        + "\"out_dst\":\"10.244.2.3:8080\",\"reason\":null,\"observed\":null}",
                syn.toJson());
    }

    /**
     * Records are read {@link Replayer#WINDOW} ahead for the conntrack prefetch: a capture that
     * spans several windows and ends in a truncated record still yields every good record, in
     * order and with the same results as without the bad tail, before the error.
     */
    @Test
    void recordSinkGivesTheStepSinksRecords() {
        // the JSON Lines output reads the record from the datapath's walk, the text output from its full result
        for (KernelProfile kernel : List.of(KernelProfile.V4_19, KernelProfile.V6_18)) {
            for (int variant = 0; variant < 3; variant++) {
                Sysctls sysctls = Sysctls.defaults(kernel);
                if (variant == 1) {
                    sysctls = sysctls.with("net.netfilter.nf_conntrack_tcp_be_liberal", "1");
                }
                NodeConfig config = new NodeConfig(
                        List.of(ServiceMapping.parse(CaptureFixture.SERVICE)), kernel, sysctls, variant == 2, 7);
                Path file = CaptureFixture.blogStory().write(dir.resolve("story-" + kernel + variant + ".pcap"));
                List<ReplayRecord> fromSteps = new ArrayList<>();
                new Replayer(config, false).replay(file, "c.pcap", step -> fromSteps.add(step.record()));
                List<ReplayRecord> records = new ArrayList<>();
                new Replayer(config, false).replayRecords(file, "c.pcap", records::add);
                assertEquals(fromSteps, records, kernel + " variant " + variant);
                assertTrue(records.stream().anyMatch(r -> r.ctstate() == CtState.INVALID), "the story has its INVALID");
            }
        }
    }

    @Test
    void readAheadWindowKeepsOrderAndDeliversEveryRecordBeforeABadOne() throws IOException {
        CaptureFixture f = new CaptureFixture().handshake();
        int segments = 2 * Replayer.WINDOW + 5;
        for (int i = 0; i < segments; i++) {
            f.client(TcpFlags.PSH | TcpFlags.ACK, CLIENT_ISN + 1 + 100 * i, SERVER_ISN + 1, 502, 100, TcpOptions.NONE);
            f.server(TcpFlags.ACK, SERVER_ISN + 1, CLIENT_ISN + 1 + 100 * (i + 1), 509, 0, TcpOptions.NONE);
        }
        NodeConfig config = new NodeConfig(
                List.of(ServiceMapping.parse(CaptureFixture.SERVICE)),
                KernelProfile.V6_18,
                Sysctls.defaults(KernelProfile.V6_18),
                false,
                7);
        Path good = f.write(dir.resolve("good.pcap"));
        List<ReplayRecord> expected = new Replayer(config, false).replay(good, "c.pcap");
        assertEquals(3 + 2 * segments, expected.size());
        for (ReplayRecord r : expected.subList(3, expected.size())) {
            assertEquals(CtState.ESTABLISHED, r.ctstate(), r.toJson());
            assertEquals(ReplayRecord.Verdict.ACCEPT, r.verdict(), r.toJson());
        }

        Path cut = dir.resolve("cut.pcap");
        ByteBuffer tail = ByteBuffer.allocate(16 + 10).order(ByteOrder.nativeOrder());
        tail.putInt(1).putInt(0).putInt(60).putInt(60); // a record header promising 60 bytes, then 10
        Files.write(cut, Files.readAllBytes(good));
        Files.write(cut, tail.array(), StandardOpenOption.APPEND);
        List<ReplayRecord> got = new ArrayList<>();
        CaptureException e = assertThrows(
                CaptureException.class,
                () -> new Replayer(config, false).replay(cut, "c.pcap", step -> got.add(step.record())));
        assertTrue(e.getMessage().contains("record " + expected.size()), e.getMessage());
        assertEquals(expected, got);
    }
}
