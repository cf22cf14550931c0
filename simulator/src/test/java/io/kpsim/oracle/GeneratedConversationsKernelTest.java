package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.TcpState;
import io.kpsim.replay.ReplayRecord;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generated conversation kind through the real kernel: normal lifecycles are forwarded
 * whole and end in TIME_WAIT, and the edge kinds really reach the kernel's INVALID paths. Also
 * reports the oracle's cost per packet.
 */
class GeneratedConversationsKernelTest {

    @TempDir
    Path dir;

    @Test
    void normalLifecyclesAreCleanAndEdgeCasesHitInvalid() {
        String problems = OracleMachineCheck.summary();
        Assumptions.assumeTrue(problems == null, problems);
        ConversationGenerator.Kind[] kinds = ConversationGenerator.Kind.values();
        int count = 3 * kinds.length;
        List<Path> files = new ConversationGenerator(42).write(dir, count, 1);
        long start = System.nanoTime();
        Map<Path, List<ReplayRecord>> out =
                Oracle.kernel(OracleConfig.of(List.of(ConversationGenerator.SERVICE), false, false), files);
        long nanos = System.nanoTime() - start;
        int packets = 0;
        Map<ConversationGenerator.Kind, Integer> invalid = new EnumMap<>(ConversationGenerator.Kind.class);
        for (int i = 0; i < files.size(); i++) {
            ConversationGenerator.Kind kind = kinds[i % kinds.length];
            List<ReplayRecord> records = out.get(files.get(i));
            packets += records.size();
            for (ReplayRecord r : records) {
                if (r.ctstate() == CtState.INVALID) {
                    invalid.merge(kind, 1, Integer::sum);
                }
            }
            if (kind == ConversationGenerator.Kind.CLIENT_CLOSES_FIRST
                    || kind == ConversationGenerator.Kind.SERVER_CLOSES_FIRST
                    || kind == ConversationGenerator.Kind.SIMULTANEOUS_CLOSE) {
                for (ReplayRecord r : records) {
                    assertNotEquals(CtState.INVALID, r.ctstate(), r.toJson());
                    assertEquals(ReplayRecord.Verdict.ACCEPT, r.verdict(), r.toJson());
                }
                assertEquals(
                        TcpState.TIME_WAIT,
                        records.get(records.size() - 1).tcpState(),
                        files.get(i).toString());
            }
        }
        System.out.printf(
                "oracle: %d packets in %d ms (%.2f ms/packet); INVALID by kind %s%n",
                packets, nanos / 1_000_000, nanos / 1e6 / packets, invalid);
        assertTrue(invalid.containsKey(ConversationGenerator.Kind.ODD_FLAGS), invalid.toString());
        assertTrue(
                invalid.containsKey(ConversationGenerator.Kind.SEQ_UPPER_BOUND)
                        || invalid.containsKey(ConversationGenerator.Kind.ACK_UPPER_BOUND),
                invalid.toString());
    }
}
