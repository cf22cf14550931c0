package io.kpsim.oracle;

import io.kpsim.replay.JsonText;
import io.kpsim.replay.ReplayRecord;
import java.util.List;

/**
 * The kernel's and the model's record for one capture record, and the fields where they differ
 * (DESIGN.md's JSON keys: {@code ctstate}, {@code ctdir}, {@code tcp_state}, {@code verdict},
 * {@code out_src}, {@code out_dst}, {@code out_inner_src}, {@code out_inner_dst}, {@code reason},
 * {@code skipped}, or {@code record} when one side has no record at that index).
 *
 * @param file the capture file as given
 * @param index the record index in the file
 * @param kernel what the real kernel did, {@code null} when it has no record here
 * @param model what the model did, {@code null} when it has no record here
 * @param diff the differing fields, empty when they agree
 */
public record RecordComparison(String file, int index, ReplayRecord kernel, ReplayRecord model, List<String> diff) {

    /** Copies the field list. */
    public RecordComparison {
        diff = List.copyOf(diff);
    }

    /** Whether kernel and model agree on every compared field. */
    public boolean agree() {
        return diff.isEmpty();
    }

    /** {@code {"file":..,"index":..,"kernel":{...},"model":{...},"agree":bool,"diff":[..]}}. */
    public String toJson() {
        StringBuilder s = new StringBuilder(512);
        s.append("{\"file\":")
                .append(JsonText.literal(file))
                .append(",\"index\":")
                .append(index);
        s.append(",\"kernel\":").append(body(kernel)).append(",\"model\":").append(body(model));
        s.append(",\"agree\":").append(agree()).append(",\"diff\":[");
        for (int i = 0; i < diff.size(); i++) {
            s.append(i == 0 ? "" : ",").append(JsonText.literal(diff.get(i)));
        }
        return s.append("]}").toString();
    }

    /** The record's JSON object without its {@code file} and {@code index} keys. */
    static String body(ReplayRecord r) {
        if (r == null) {
            return "null";
        }
        String json = r.toJson();
        String head = "{\"file\":" + JsonText.literal(r.file()) + ",\"index\":" + r.index() + ",";
        return json.startsWith(head) ? "{" + json.substring(head.length()) : json;
    }
}
