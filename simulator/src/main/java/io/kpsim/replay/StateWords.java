package io.kpsim.replay;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.TcpState;
import java.util.Arrays;

/**
 * The constant parts of a JSON Lines record: its start up to the index's value, made once per file
 * ({@link #linePrefix}), and its middle, from {@code ,"ctstate":} to {@code ,"out_src":}, made once for
 * each combination of ctstate, direction, TCP state and verdict a writer meets: eight keys and
 * values that were eight copies per line become one. A capture meets a handful of the combinations;
 * each is built the first time it is seen (DESIGN.md "Replay output" fixes the keys and their order,
 * {@link ReplayRecord#appendJson} writes them the same way, by {@link #append}, without this cache).
 *
 * <p>Why: the JSON writer thread formats every packet on the second core, which the reader and the
 * JIT share; fewer, longer copies per line leave more of that core (src/docs/benchmarks.md section 3,
 * session 12). One per writer thread; not thread-safe.
 */
final class StateWords {

    private static final int CTSTATES = CtState.values().length + 1;
    private static final int CTDIRS = CtDir.values().length + 1;
    private static final int TCP_STATES = TcpState.values().length + 1;
    private static final int VERDICTS = ReplayRecord.Verdict.values().length + 1;

    private final byte[][] words = new byte[CTSTATES * CTDIRS * TCP_STATES * VERDICTS][];
    private final JsonText scratch = new JsonText(128);

    /** The bytes from {@code ,"ctstate":} through {@code ,"out_src":} for these values (each may be null). */
    byte[] of(CtState state, CtDir dir, TcpState tcp, ReplayRecord.Verdict verdict) {
        int i = ((slot(state) * CTDIRS + slot(dir)) * TCP_STATES + slot(tcp)) * VERDICTS + slot(verdict);
        byte[] w = words[i];
        if (w == null) {
            scratch.clear();
            append(scratch, state, dir, tcp, verdict);
            w = Arrays.copyOf(scratch.array(), scratch.length());
            words[i] = w;
        }
        return w;
    }

    /** The start of each line of a file up to the index's value, for {@link ReplayRecord#appendLine}. */
    static byte[] linePrefix(String file) {
        JsonText t = new JsonText(file.length() + 32)
                .raw(ReplayRecord.Keys.FILE)
                .string(file)
                .raw(ReplayRecord.Keys.INDEX);
        return Arrays.copyOf(t.array(), t.length());
    }

    /** Appends the keys and values from {@code ,"ctstate":} through the key {@code ,"out_src":}. */
    static void append(JsonText out, CtState ctstate, CtDir ctdir, TcpState tcpState, ReplayRecord.Verdict verdict) {
        out.raw(ReplayRecord.Keys.CTSTATE)
                .raw(ReplayRecord.Keys.literal(ReplayRecord.Keys.CTSTATES, ctstate))
                .raw(ReplayRecord.Keys.CTDIR)
                .raw(ReplayRecord.Keys.literal(ReplayRecord.Keys.CTDIRS, ctdir))
                .raw(ReplayRecord.Keys.TCP_STATE)
                .raw(ReplayRecord.Keys.literal(ReplayRecord.Keys.TCP_STATES, tcpState))
                .raw(ReplayRecord.Keys.VERDICT)
                .raw(ReplayRecord.Keys.literal(ReplayRecord.Keys.VERDICTS, verdict))
                .raw(ReplayRecord.Keys.OUT_SRC);
    }

    /** 0 for null, else the ordinal plus one. */
    private static int slot(Enum<?> value) {
        return value == null ? 0 : value.ordinal() + 1;
    }
}
