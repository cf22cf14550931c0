package io.kpsim.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.TcpState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chunked JSON Lines output is exactly one {@link ReplayRecord#toJson()} per line. */
class JsonLinesWriterTest {

    private static ReplayRecord record(int index, String reason) {
        return new ReplayRecord(
                "a \"b\".pcap",
                index,
                CtState.INVALID,
                null,
                TcpState.ESTABLISHED,
                ReplayRecord.Verdict.ACCEPT,
                "10.244.2.3:8080",
                "10.244.1.2:40001",
                null,
                null,
                reason,
                null);
    }

    @Test
    void linesAcrossManyChunksEqualToJsonPerRecord() {
        StringWriter out = new StringWriter();
        JsonLinesWriter writer = new JsonLinesWriter(out);
        StringBuilder expected = new StringBuilder();
        int records = 3 * JsonLinesWriter.CHUNK / 150; // lines are ~200 characters: several chunks
        for (int i = 0; i < records; i++) {
            ReplayRecord r = i % 7 == 0
                    ? ReplayRecord.skipped("x.pcap", i, "not IPv4 (ethertype 0x86dd)")
                    : record(i, i % 2 == 0 ? null : "SEQ is over upper bound 70001 (over the window of the receiver)");
            writer.record(r);
            expected.append(r.toJson()).append(System.lineSeparator());
        }
        writer.flush();
        assertEquals(expected.toString(), out.toString());
    }

    @Test
    void everyCombinationOfStatesAndVerdictIsWrittenAsToJsonWritesIt() {
        StringWriter out = new StringWriter();
        JsonLinesWriter writer = new JsonLinesWriter(out);
        StringBuilder expected = new StringBuilder();
        int index = 0;
        for (int pass = 0; pass < 2; pass++) { // the second pass meets each combination again, already made
            for (CtState state : withNull(CtState.values())) {
                for (CtDir dir : withNull(CtDir.values())) {
                    for (TcpState tcp : withNull(TcpState.values())) {
                        for (ReplayRecord.Verdict verdict : withNull(ReplayRecord.Verdict.values())) {
                            ReplayRecord r = new ReplayRecord(
                                    "s.pcap",
                                    index++,
                                    state,
                                    dir,
                                    tcp,
                                    verdict,
                                    "1.2.3.4:5",
                                    null,
                                    null,
                                    null,
                                    null,
                                    null);
                            writer.record(r);
                            expected.append(r.toJson()).append(System.lineSeparator());
                        }
                    }
                }
            }
        }
        writer.flush();
        assertEquals(expected.toString(), out.toString());
        assertTrue(expected.indexOf("\"ctstate\":\"ESTABLISHED\",\"ctdir\":\"REPLY\",\"tcp_state\":\"TIME_WAIT\"") > 0);
    }

    private static <T> List<T> withNull(T[] values) {
        List<T> all = new ArrayList<>(Arrays.asList(values));
        all.add(null);
        return all;
    }

    @Test
    void toJsonEscapesQuotesBackslashesAndControlCharacters() {
        ReplayRecord r = new ReplayRecord(
                "q\"b\\s\n\t\u0001.pcap",
                3,
                CtState.NEW,
                CtDir.ORIGINAL,
                TcpState.SYN_SENT,
                ReplayRecord.Verdict.DROP,
                null,
                null,
                null,
                null,
                null,
                null);
        assertEquals(
                "{\"file\":\"q\\\"b\\\\s\\n\\t\\u0001.pcap\",\"index\":3,\"ctstate\":\"NEW\",\"ctdir\":\"ORIGINAL\","
                        + "\"tcp_state\":\"SYN_SENT\",\"verdict\":\"DROP\",\"out_src\":null,\"out_dst\":null,\"reason\":null}",
                r.toJson());
        assertEquals("\"plain\"", JsonText.literal("plain"));
        assertEquals("null", JsonText.literal(null));
    }

    @Test
    void bytesToAStreamEqualTheLinesGivenToAWriter() {
        StringWriter chars = new StringWriter();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonLinesWriter toWriter = new JsonLinesWriter(chars);
        JsonLinesWriter toStream = new JsonLinesWriter(bytes);
        for (int i = 0; i < 2 * JsonLinesWriter.CHUNK / 150; i++) {
            String file = i < 100 ? "caf\u00e9-\u00fc-\ud83d\udce6.pcap" : "b.pcap"; // 2-, 2- and 4-byte UTF-8
            ReplayRecord r = new ReplayRecord(
                    file,
                    i,
                    CtState.ESTABLISHED,
                    CtDir.REPLY,
                    TcpState.ESTABLISHED,
                    ReplayRecord.Verdict.ACCEPT,
                    "10.96.0.10:80",
                    "10.244.1.2:40001",
                    null,
                    null,
                    null,
                    null);
            toWriter.record(r);
            toStream.record(r);
        }
        toWriter.flush();
        toStream.flush();
        assertEquals(chars.toString(), bytes.toString(StandardCharsets.UTF_8));
        assertTrue(chars.toString().startsWith("{\"file\":\"caf\u00e9-\u00fc-\ud83d\udce6.pcap\",\"index\":0,"));
    }

    @Test
    void jsonTextWritesUtf8NumbersAndReplacesAnUnpairedSurrogate() {
        JsonText t = new JsonText(1);
        t.string("\u00e9\ud83d\udce6")
                .ascii(',')
                .number(-42)
                .ascii(',')
                .number(Long.MIN_VALUE)
                .ascii(',')
                .string("a\ud800b")
                .ascii(',')
                .string((String) null)
                .ascii(',')
                .string(CtState.NEW);
        assertEquals("\"\u00e9\ud83d\udce6\",-42,-9223372036854775808,\"a?b\",null,\"NEW\"", t.toString());
        assertArrayEquals(new byte[] {'"', (byte) 0xc3, (byte) 0xa9, '"'}, JsonText.literalBytes("\u00e9"));
    }

    @Test
    void aFailedWriteSurfacesAtFlushWithoutHangingAndAgainLater() {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        JsonLinesWriter writer = new JsonLinesWriter(full);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> {
            try {
                for (int i = 0; i < 5 * JsonLinesWriter.BATCH; i++) {
                    writer.record(record(i, null)); // may already see the failure
                }
            } finally {
                writer.flush(); // ends the writer thread even then, as ReplayCommand's finally does
            }
        });
        assertEquals("No space left on device", e.getCause().getMessage());
        assertThrows(UncheckedIOException.class, () -> {
            for (int i = 0; i < 2 * JsonLinesWriter.BATCH; i++) {
                writer.record(record(i, null));
            }
            writer.flush();
        });
    }

    @Test
    void anErrorOnTheWriterThreadReachesTheProducerInsteadOfAWaitForEver() {
        AssertionError injected = new AssertionError("injected into the writer thread");
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) {
                throw injected;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                throw injected;
            }
        };
        JsonLinesWriter writer = new JsonLinesWriter(broken);
        IllegalStateException e = assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> assertThrows(IllegalStateException.class, () -> {
                    try {
                        for (int i = 0; i < 40 * JsonLinesWriter.BATCH; i++) { // far more than the queue holds
                            writer.record(record(i, null));
                        }
                    } finally {
                        writer.flush();
                    }
                }));
        assertSame(injected, e.getCause());
    }

    @Test
    void flushingTwiceAndRecordingAfterAFlushKeepsOrder() {
        StringWriter out = new StringWriter();
        JsonLinesWriter writer = new JsonLinesWriter(out);
        StringBuilder expected = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < JsonLinesWriter.BATCH + 7; i++) {
                ReplayRecord r = record(round * 10_000 + i, null);
                writer.record(r);
                expected.append(r.toJson()).append(System.lineSeparator());
            }
            writer.flush();
            writer.flush();
            assertEquals(expected.toString(), out.toString());
        }
    }
}
