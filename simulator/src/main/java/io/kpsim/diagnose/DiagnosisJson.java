package io.kpsim.diagnose;

import io.kpsim.replay.JsonText;
import java.util.List;

/**
 * {@code kpsim diagnose --format json}: one object with {@code verdict}, {@code files},
 * {@code packets}, {@code invalid}, {@code connections}, {@code disagreements} and
 * {@code findings}, each finding with {@code kind}, {@code connection} (the four-tuple as the
 * client saw it), {@code endpoint}, {@code packets} ({@code ref}, {@code file}, {@code index},
 * {@code ts}, {@code role}), {@code reason}, {@code explanation} and {@code fixes}.
 */
public final class DiagnosisJson {

    private DiagnosisJson() {}

    /** {@code d} as one line of JSON. */
    public static String of(CaptureDiagnosis d) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"verdict\":").append(JsonText.literal(d.verdict()));
        b.append(",\"files\":");
        strings(b, d.files());
        b.append(",\"packets\":").append(d.packets());
        b.append(",\"invalid\":").append(d.invalid());
        b.append(",\"connections\":").append(d.connections());
        b.append(",\"disagreements\":").append(d.disagreements());
        b.append(",\"findings\":[");
        for (int i = 0; i < d.findings().size(); i++) {
            Finding f = d.findings().get(i);
            b.append(i == 0 ? "" : ",").append('{');
            b.append("\"kind\":").append(JsonText.literal(f.kind().word()));
            b.append(",\"connection\":").append(JsonText.literal(f.connection()));
            b.append(",\"endpoint\":").append(literal(f.endpoint()));
            b.append(",\"packets\":[");
            for (int j = 0; j < f.packets().size(); j++) {
                PacketRef p = f.packets().get(j);
                b.append(j == 0 ? "" : ",")
                        .append("{\"ref\":")
                        .append(JsonText.literal(p.ref()))
                        .append(",\"file\":")
                        .append(JsonText.literal(p.file()))
                        .append(",\"index\":")
                        .append(p.index())
                        .append(",\"ts\":")
                        .append(JsonText.literal(p.timestamp()))
                        .append(",\"role\":")
                        .append(JsonText.literal(p.role()))
                        .append('}');
            }
            b.append("],\"reason\":").append(literal(f.reason()));
            b.append(",\"explanation\":").append(JsonText.literal(f.explanation()));
            b.append(",\"fixes\":");
            strings(b, f.fixes());
            b.append('}');
        }
        return b.append("]}").toString();
    }

    private static String literal(String s) {
        return s == null ? "null" : JsonText.literal(s);
    }

    private static void strings(StringBuilder b, List<String> values) {
        b.append('[');
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ",").append(JsonText.literal(values.get(i)));
        }
        b.append(']');
    }
}
