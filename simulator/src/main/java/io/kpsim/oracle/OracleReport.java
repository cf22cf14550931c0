package io.kpsim.oracle;

import io.kpsim.replay.ReplayRecord;
import java.util.List;
import java.util.Objects;

/**
 * The result of an oracle run: every record compared, how many packets went through the real
 * kernel and how long that took, and the CLI views (side-by-side text, JSON Lines, exit code).
 *
 * @param comparisons kernel versus model, per record, in capture order
 * @param packets packets injected into the kernel (skipped records excluded)
 * @param kernelMillis wall time spent replaying through the kernel, topology included
 */
public record OracleReport(List<RecordComparison> comparisons, int packets, long kernelMillis) {

    /** Exit code when kernel and model agree on every record. */
    public static final int EXIT_AGREE = 0;
    /** Exit code when at least one record differs. */
    public static final int EXIT_DIFFER = 1;
    /** Exit code for bad input or a machine that cannot run the oracle. */
    public static final int EXIT_CANNOT_RUN = 2;

    /** Copies the list. */
    public OracleReport {
        comparisons = List.copyOf(comparisons);
    }

    /** Whether every record agrees. */
    public boolean agree() {
        return disagreements() == 0;
    }

    /** How many records differ. */
    public int disagreements() {
        int n = 0;
        for (RecordComparison c : comparisons) {
            if (!c.agree()) {
                n++;
            }
        }
        return n;
    }

    /** {@link #EXIT_AGREE} or {@link #EXIT_DIFFER}. */
    public int exitCode() {
        return agree() ? EXIT_AGREE : EXIT_DIFFER;
    }

    /** One JSON object per record, newline-terminated. */
    public String jsonl() {
        StringBuilder s = new StringBuilder();
        for (RecordComparison c : comparisons) {
            s.append(c.toJson()).append('\n');
        }
        return s.toString();
    }

    /**
     * Side-by-side text: one line per agreeing record (the kernel's view), and for a differing
     * record every field with kernel and model values, each disagreement marked {@code <<}.
     */
    public String text() {
        StringBuilder s = new StringBuilder();
        for (RecordComparison c : comparisons) {
            String where = c.file() + " #" + c.index();
            if (c.agree()) {
                s.append(String.format("%-24s agree   %s%n", where, summary(c.kernel())));
                continue;
            }
            s.append(String.format("%-24s DIFFER  %s%n", where, String.join(",", c.diff())));
            s.append(String.format("    %-14s %-44s %s%n", "field", "kernel", "model"));
            for (String field : List.of(
                    "ctstate",
                    "ctdir",
                    "tcp_state",
                    "verdict",
                    "out_src",
                    "out_dst",
                    "out_inner_src",
                    "out_inner_dst",
                    "reason",
                    "skipped")) {
                String k = value(c.kernel(), field);
                String m = value(c.model(), field);
                if (k == null && m == null) {
                    continue;
                }
                s.append(String.format(
                        "    %-14s %-44s %-44s%s%n",
                        field,
                        Objects.toString(k, "-"),
                        Objects.toString(m, "-"),
                        c.diff().contains(field) ? " <<" : ""));
            }
        }
        s.append(String.format(
                "%d records, %d differ; %d packets through the kernel in %d ms, %d records skipped (not injected)%n",
                comparisons.size(), disagreements(), packets, kernelMillis, skipped()));
        return s.toString();
    }

    /**
     * Records the oracle did not inject: what {@code ip_rcv()} would drop (a total length beyond
     * the frame, a bad header), what is not IPv4, frames cut by the snap length.
     */
    public int skipped() {
        int n = 0;
        for (RecordComparison c : comparisons) {
            n += c.kernel() != null && c.kernel().isSkipped() ? 1 : 0;
        }
        return n;
    }

    private static String summary(ReplayRecord r) {
        if (r == null) {
            return "-";
        }
        if (r.isSkipped()) {
            return "skipped: " + r.skipped();
        }
        StringBuilder s = new StringBuilder();
        s.append(r.ctstate()).append(r.ctdir() == null ? "" : " " + r.ctdir());
        s.append("  ")
                .append(r.tcpState() == null ? "-" : r.tcpState())
                .append("  ")
                .append(r.verdict());
        if (r.outSrc() != null) {
            s.append("  ").append(r.outSrc()).append(" > ").append(r.outDst());
        }
        if (r.hasInner()) {
            s.append("  [inner ")
                    .append(r.outInnerSrc())
                    .append(" > ")
                    .append(r.outInnerDst())
                    .append(']');
        }
        if (r.reason() != null) {
            s.append("  \"").append(r.reason()).append('"');
        }
        return s.toString();
    }

    private static String value(ReplayRecord r, String field) {
        if (r == null) {
            return field.equals("skipped") ? "(no record)" : null;
        }
        Object v = switch (field) {
            case "ctstate" -> r.ctstate();
            case "ctdir" -> r.ctdir();
            case "tcp_state" -> r.tcpState();
            case "verdict" -> r.verdict();
            case "out_src" -> r.outSrc();
            case "out_dst" -> r.outDst();
            case "out_inner_src" -> r.outInnerSrc();
            case "out_inner_dst" -> r.outInnerDst();
            case "reason" -> r.reason();
            default -> r.skipped();
        };
        return v == null ? null : v.toString();
    }
}
