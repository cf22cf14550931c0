package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.TcpState;
import io.kpsim.replay.ReplayRecord;
import io.kpsim.replay.ReplayRecord.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class OracleComparisonTest {

    static ReplayRecord est(int index, String src, String reason) {
        return new ReplayRecord(
                "a.pcap",
                index,
                CtState.ESTABLISHED,
                CtDir.REPLY,
                TcpState.ESTABLISHED,
                Verdict.ACCEPT,
                src,
                "10.244.0.7:40001",
                null,
                null,
                reason,
                null);
    }

    static ReplayRecord invalid(int index) {
        return new ReplayRecord(
                "a.pcap",
                index,
                CtState.INVALID,
                null,
                TcpState.ESTABLISHED,
                Verdict.ACCEPT,
                "10.244.1.5:8080",
                "10.244.0.7:40001",
                null,
                null,
                "SEQ is over upper bound 5 (over the window of the receiver)",
                null);
    }

    @Test
    void namesEveryDifferingField() {
        assertEquals(
                List.of("ctstate", "ctdir", "out_src", "reason"),
                OracleComparison.diff(invalid(0), est(0, "10.96.0.10:80", null)));
        assertEquals(List.of(), OracleComparison.diff(est(0, "10.96.0.10:80", null), est(0, "10.96.0.10:80", null)));
    }

    @Test
    void reasonCountsOnlyWhereTheKernelLoggedOne() {
        assertEquals(
                List.of(),
                OracleComparison.diff(est(0, "10.96.0.10:80", null), est(0, "10.96.0.10:80", "model words")));
        assertEquals(
                List.of("reason"),
                OracleComparison.diff(est(0, "10.96.0.10:80", "kernel words"), est(0, "10.96.0.10:80", "model words")));
    }

    @Test
    void missingAndSkippedRecordsDiffer() {
        List<RecordComparison> c = OracleComparison.compare(
                "a.pcap", List.of(est(0, "x", null), est(1, "x", null)), List.of(est(0, "x", null)));
        assertEquals(List.of("record"), c.get(1).diff());
        assertEquals(
                List.of("skipped"),
                OracleComparison.diff(ReplayRecord.skipped("a.pcap", 0, "not IPv4"), est(0, "x", null)));
        assertEquals(
                List.of(),
                OracleComparison.diff(
                        ReplayRecord.skipped("a.pcap", 0, "not IPv4"), ReplayRecord.skipped("a.pcap", 0, "ARP")));
    }

    @Test
    void reportJsonlTextAndExitCode() {
        OracleReport agree = new OracleReport(
                OracleComparison.compare("a.pcap", List.of(est(0, "v", null)), List.of(est(0, "v", null))), 1, 5);
        assertEquals(OracleReport.EXIT_AGREE, agree.exitCode());
        OracleReport differ = new OracleReport(
                OracleComparison.compare(
                        "a.pcap",
                        List.of(est(0, "v", null), invalid(1)),
                        List.of(est(0, "v", null), est(1, "10.96.0.10:80", null))),
                2,
                5);
        assertEquals(OracleReport.EXIT_DIFFER, differ.exitCode());
        assertEquals(1, differ.disagreements());
        String[] lines = differ.jsonl().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].endsWith("\"agree\":true,\"diff\":[]}"), lines[0]);
        assertTrue(
                lines[1].startsWith("{\"file\":\"a.pcap\",\"index\":1,\"kernel\":{\"ctstate\":\"INVALID\","), lines[1]);
        assertTrue(lines[1].contains("\"model\":{\"ctstate\":\"ESTABLISHED\",\"ctdir\":\"REPLY\""), lines[1]);
        assertTrue(
                lines[1].endsWith("\"agree\":false,\"diff\":[\"ctstate\",\"ctdir\",\"out_src\",\"reason\"]}"),
                lines[1]);
        String text = differ.text();
        assertTrue(text.contains("a.pcap #1"), text);
        assertTrue(
                text.lines()
                        .anyMatch(l -> l.trim().startsWith("ctstate")
                                && l.contains("INVALID")
                                && l.contains("ESTABLISHED")
                                && l.endsWith("<<")),
                text);
        assertTrue(text.lines().anyMatch(l -> l.trim().startsWith("tcp_state") && !l.endsWith("<<")), text);
        assertFalse(agree.text().contains("<<"));
        assertTrue(
                text.endsWith("2 records, 1 differ; 2 packets through the kernel in 5 ms, 0 records skipped"
                        + " (not injected)\n"),
                text);

        String reason = "truncated IPv4 packet (total length 160, 60 bytes on the wire): ip_rcv() drops it before"
                + " conntrack";
        OracleReport skipped = new OracleReport(
                OracleComparison.compare(
                        "a.pcap",
                        List.of(ReplayRecord.skipped("a.pcap", 0, reason), est(1, "v", null)),
                        List.of(ReplayRecord.skipped("a.pcap", 0, reason), est(1, "v", null))),
                1,
                5);
        assertEquals(1, skipped.skipped());
        assertTrue(
                skipped.text()
                        .endsWith("2 records, 0 differ; 1 packets through the kernel in 5 ms, 1 records"
                                + " skipped (not injected)\n"),
                skipped.text());
    }
}
