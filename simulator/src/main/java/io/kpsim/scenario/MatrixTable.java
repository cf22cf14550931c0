package io.kpsim.scenario;

import io.kpsim.report.RunMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The three ways {@code kpsim matrix} prints its rows: an aligned text table, a JSON array (one
 * object per row, the counters named as in {@code kpsim run --format json}) and CSV (RFC 4180).
 * All three list the rows in grid order and carry nothing that varies between runs (no times, no
 * thread counts), so the same grid and seeds print the same bytes.
 */
public final class MatrixTable {

    /** The column names of the text and CSV forms, which are also the JSON keys. */
    static final List<String> COLUMNS = List.of(
            "scenario",
            "kernel",
            "proxy_mode",
            "kube_proxy_version",
            "be_liberal",
            "connections",
            "completed",
            "reset",
            "invalid",
            "invalid_dropped",
            "ignored",
            "verdict");

    private MatrixTable() {}

    /** The cells of one row as text, in {@link #COLUMNS} order. */
    static List<String> cells(MatrixRow r) {
        RunMetrics m = r.metrics();
        return List.of(
                r.scenario(),
                r.kernel().label(),
                r.proxyMode(),
                r.release().label(),
                r.beLiberal() ? "on" : "off",
                Long.toString(m.connections()),
                Long.toString(m.completed()),
                Long.toString(m.resets()),
                Long.toString(m.invalid()),
                Long.toString(m.invalidDropped()),
                Long.toString(m.ignored()),
                r.verdict().text());
    }

    /** Columns padded to their widest cell, two spaces apart, the header first. */
    public static String text(List<MatrixRow> rows) {
        List<List<String>> table = new ArrayList<>();
        table.add(COLUMNS);
        for (MatrixRow r : rows) {
            table.add(cells(r));
        }
        int[] width = new int[COLUMNS.size()];
        for (List<String> line : table) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], line.get(c).length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (List<String> line : table) {
            StringBuilder l = new StringBuilder();
            for (int c = 0; c < width.length; c++) {
                String cell = line.get(c);
                l.append(cell);
                if (c < width.length - 1) {
                    l.append(" ".repeat(width[c] - cell.length() + 2));
                }
            }
            s.append(l.toString().stripTrailing()).append('\n');
        }
        return s.toString();
    }

    /** A JSON array, one object per row on its own line. */
    public static String json(List<MatrixRow> rows) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) {
            MatrixRow r = rows.get(i);
            RunMetrics m = r.metrics();
            s.append(i == 0 ? "\n" : ",\n");
            s.append("{\"scenario\":").append(quote(r.scenario()));
            s.append(",\"kernel\":").append(quote(r.kernel().label()));
            s.append(",\"proxy_mode\":").append(quote(r.proxyMode()));
            s.append(",\"kube_proxy_version\":").append(quote(r.release().label()));
            s.append(",\"be_liberal\":").append(r.beLiberal());
            s.append(",\"connections\":").append(m.connections());
            s.append(",\"completed\":").append(m.completed());
            s.append(",\"reset\":").append(m.resets());
            s.append(",\"invalid\":").append(m.invalid());
            s.append(",\"invalid_dropped\":").append(m.invalidDropped());
            s.append(",\"ignored\":").append(m.ignored());
            s.append(",\"verdict\":").append(quote(r.verdict().text()));
            s.append('}');
        }
        return s.append("\n]\n").toString();
    }

    /** CSV with a header line; a field with a comma, quote or line break is quoted. */
    public static String csv(List<MatrixRow> rows) {
        StringBuilder s = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (MatrixRow r : rows) {
            List<String> cells = cells(r);
            for (int c = 0; c < cells.size(); c++) {
                s.append(c == 0 ? "" : ",").append(csvField(cells.get(c)));
            }
            s.append("\r\n");
        }
        return s.toString();
    }

    private static String csvField(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** {@code text} as a JSON string (names and fixed words only: no control characters to escape). */
    private static String quote(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '"' || ch == '\\') {
                s.append('\\');
            }
            if (ch < 0x20) {
                s.append(String.format("\\u%04x", (int) ch));
            } else {
                s.append(ch);
            }
        }
        return s.append('"').toString();
    }
}
