package io.kpsim.report;

import java.math.BigDecimal;

/**
 * {@code kpsim run --format json}: the run as one JSON object on one line, for scripts and CI.
 * Keys are snake_case and stable: {@code scenario}, {@code source}, {@code seed}, {@code kernel},
 * {@code be_liberal}, {@code drop_invalid}, the counters ({@code connections}, {@code completed},
 * {@code reset}, {@code invalid}, {@code invalid_dropped}, {@code ignored}, {@code packets},
 * {@code injected}, {@code injections_missed},
 * {@code retransmissions}), {@code simulated_seconds}, {@code verdict} ({@code "reset"} or
 * {@code "no reset"}), {@code first_reset} (null or an object), from {@code kpsim run} the outcome
 * members {@code endpoints}, {@code reset_connections} and {@code forged_packets}
 * ({@code io.kpsim.report.html.OutcomeJson}), {@code expectations}
 * ({@code [{metric, condition, actual, pass}]}) and {@code passed}.
 */
public final class JsonReport {

    private JsonReport() {}

    /** The JSON text of {@code r}, without a trailing newline. */
    public static String render(RunReport r) {
        return render(r, "");
    }

    /**
     * The JSON text of {@code r} with {@code members} (JSON object members, comma-separated: the
     * outcomes of the connections and forged packets) after {@code first_reset}.
     */
    public static String render(RunReport r, String members) {
        RunContext c = r.context();
        RunMetrics m = r.metrics();
        StringBuilder s = new StringBuilder(512).append('{');
        field(s, "scenario").append(quote(c.scenario())).append(',');
        field(s, "source").append(quote(c.source())).append(',');
        field(s, "seed").append(c.seed()).append(',');
        field(s, "kernel").append(quote(c.kernel().toString())).append(',');
        field(s, "be_liberal").append(c.beLiberal()).append(',');
        field(s, "drop_invalid").append(c.dropInvalid()).append(',');
        field(s, "connections").append(m.connections()).append(',');
        field(s, "completed").append(m.completed()).append(',');
        field(s, "reset").append(m.resets()).append(',');
        field(s, "invalid").append(m.invalid()).append(',');
        field(s, "invalid_dropped").append(m.invalidDropped()).append(',');
        field(s, "ignored").append(m.ignored()).append(',');
        field(s, "packets").append(m.packets()).append(',');
        field(s, "injected").append(m.injected()).append(',');
        field(s, "injections_missed").append(m.injectionsMissed()).append(',');
        field(s, "retransmissions").append(m.retransmissions()).append(',');
        field(s, "simulated_seconds")
                .append(BigDecimal.valueOf(m.simulatedNanos(), 9)
                        .stripTrailingZeros()
                        .toPlainString())
                .append(',');
        field(s, "verdict").append(quote(m.resets() > 0 ? "reset" : "no reset")).append(',');
        field(s, "first_reset");
        ResetStory story = r.story();
        if (story == null) {
            s.append("null");
        } else {
            s.append('{');
            field(s, "at_seconds")
                    .append(BigDecimal.valueOf(story.resetAtNanos(), 9)
                            .stripTrailingZeros()
                            .toPlainString())
                    .append(',');
            field(s, "client_pod").append(quote(story.clientPod())).append(',');
            field(s, "server_pod").append(quote(story.serverPod())).append(',');
            field(s, "node").append(quote(story.clientNode())).append(',');
            field(s, "reason").append(quote(story.invalidReason())).append('}');
        }
        s.append(',');
        if (!members.isEmpty()) {
            s.append(members).append(',');
        }
        field(s, "expectations").append('[');
        for (int i = 0; i < r.expectations().size(); i++) {
            ExpectationResult e = r.expectations().get(i);
            s.append(i == 0 ? "{" : ",{");
            field(s, "metric").append(quote(e.metric())).append(',');
            field(s, "condition").append(quote(e.condition())).append(',');
            field(s, "actual").append(e.actual()).append(',');
            field(s, "pass").append(e.pass()).append('}');
        }
        s.append("],");
        field(s, "passed").append(r.passed());
        return s.append('}').toString();
    }

    private static StringBuilder field(StringBuilder s, String name) {
        return s.append('"').append(name).append("\":");
    }

    /** {@code text} as a JSON string literal (RFC 8259 §7). */
    static String quote(String text) {
        StringBuilder s = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        s.append(String.format("\\u%04x", (int) ch));
                    } else {
                        s.append(ch);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
