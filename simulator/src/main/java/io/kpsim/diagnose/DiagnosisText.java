package io.kpsim.diagnose;

import java.io.PrintWriter;

/**
 * The text answer of {@code kpsim diagnose}: the one-line verdict first, then a paragraph per
 * finding that cites its packets as {@code file#index}.
 */
public final class DiagnosisText {

    private DiagnosisText() {}

    /** Prints {@code d} to {@code out}. */
    public static void print(CaptureDiagnosis d, PrintWriter out) {
        out.println(d.verdict());
        for (Finding f : d.findings()) {
            out.println();
            out.println(f.kind().word() + ": " + f.connection()
                    + (f.endpoint() != null ? " (endpoint " + f.endpoint() + ")" : ""));
            for (PacketRef p : f.packets()) {
                out.println("  " + p.ref() + " at " + p.timestamp() + ": " + p.role());
            }
            if (f.reason() != null) {
                out.println("  kernel: " + f.reason());
            }
            out.println("  " + f.explanation());
            for (String fix : f.fixes()) {
                out.println("  fix: " + fix);
            }
        }
    }
}
