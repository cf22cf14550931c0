package io.kpsim.oracle;

import io.kpsim.replay.ReplayRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compares the kernel's records with the model's, field by field, record by record (aligned by
 * index within a file).
 *
 * <p>Compared: {@code ctstate}, {@code ctdir}, {@code tcp_state}, {@code verdict}, {@code out_src},
 * {@code out_dst}, {@code out_inner_src}, {@code out_inner_dst}. The {@code reason} is compared
 * only where the kernel logged one: the kernel logs through {@code nf_ct_l4proto_log_invalid()}
 * for TCP, while the model may also explain INVALID packets the kernel counts silently (no ct for
 * a bad header); a model reason where the kernel is silent is therefore not a disagreement.
 */
public final class OracleComparison {

    private OracleComparison() {}

    /** Compares two record lists of the same capture, aligned by index. */
    public static List<RecordComparison> compare(String file, List<ReplayRecord> kernel, List<ReplayRecord> model) {
        List<RecordComparison> out = new ArrayList<>();
        int n = Math.max(kernel.size(), model.size());
        for (int i = 0; i < n; i++) {
            ReplayRecord k = i < kernel.size() ? kernel.get(i) : null;
            ReplayRecord m = i < model.size() ? model.get(i) : null;
            out.add(new RecordComparison(file, i, k, m, diff(k, m)));
        }
        return out;
    }

    /** The fields on which {@code kernel} and {@code model} disagree. */
    public static List<String> diff(ReplayRecord kernel, ReplayRecord model) {
        List<String> d = new ArrayList<>();
        if (kernel == null || model == null) {
            d.add("record");
            return d;
        }
        if (kernel.isSkipped() || model.isSkipped()) {
            if (kernel.isSkipped() != model.isSkipped()) {
                d.add("skipped");
            }
            return d;
        }
        field(d, "ctstate", kernel.ctstate(), model.ctstate());
        field(d, "ctdir", kernel.ctdir(), model.ctdir());
        field(d, "tcp_state", kernel.tcpState(), model.tcpState());
        field(d, "verdict", kernel.verdict(), model.verdict());
        field(d, "out_src", kernel.outSrc(), model.outSrc());
        field(d, "out_dst", kernel.outDst(), model.outDst());
        field(d, "out_inner_src", kernel.outInnerSrc(), model.outInnerSrc());
        field(d, "out_inner_dst", kernel.outInnerDst(), model.outInnerDst());
        if (kernel.reason() != null) {
            field(d, "reason", kernel.reason(), model.reason());
        }
        return d;
    }

    private static void field(List<String> d, String name, Object kernel, Object model) {
        if (!Objects.equals(kernel, model)) {
            d.add(name);
        }
    }
}
