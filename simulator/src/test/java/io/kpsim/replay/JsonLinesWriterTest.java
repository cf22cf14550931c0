package io.kpsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.TcpState;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The chunked JSON Lines output is exactly one {@link ReplayRecord#toJson()} per line. */
class JsonLinesWriterTest {

    private static ReplayRecord record(int index, String reason) {
        return new ReplayRecord("a \"b\".pcap", index, CtState.INVALID, null, TcpState.ESTABLISHED,
                ReplayRecord.Verdict.ACCEPT, "10.244.2.3:8080", "10.244.1.2:40001", null, null, reason, null);
    }

    @Test
    void linesAcrossManyChunksEqualToJsonPerRecord() {
        StringWriter out = new StringWriter();
        JsonLinesWriter writer = new JsonLinesWriter(out);
        StringBuilder expected = new StringBuilder();
        int records = 3 * JsonLinesWriter.CHUNK / 150; // lines are ~200 characters: several chunks
        for (int i = 0; i < records; i++) {
            ReplayRecord r = i % 7 == 0 ? ReplayRecord.skipped("x.pcap", i, "not IPv4 (ethertype 0x86dd)")
                    : record(i, i % 2 == 0 ? null : "SEQ is over upper bound 70001 (over the window of the receiver)");
            writer.record(r);
            expected.append(r.toJson()).append(System.lineSeparator());
        }
        writer.flush();
        assertEquals(expected.toString(), out.toString());
    }

    @Test
    void toJsonEscapesQuotesBackslashesAndControlCharacters() {
        ReplayRecord r = new ReplayRecord("q\"b\\s\n\t\u0001.pcap", 3, CtState.NEW, CtDir.ORIGINAL, TcpState.SYN_SENT,
                ReplayRecord.Verdict.DROP, null, null, null, null, null, null);
        assertEquals("{\"file\":\"q\\\"b\\\\s\\n\\t\\u0001.pcap\",\"index\":3,\"ctstate\":\"NEW\",\"ctdir\":\"ORIGINAL\","
                + "\"tcp_state\":\"SYN_SENT\",\"verdict\":\"DROP\",\"out_src\":null,\"out_dst\":null,\"reason\":null}",
                r.toJson());
        assertEquals("\"plain\"", Json.string("plain"));
        assertEquals("null", Json.string(null));
    }
}
