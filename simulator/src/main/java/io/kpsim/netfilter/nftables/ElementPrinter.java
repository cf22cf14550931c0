package io.kpsim.netfilter.nftables;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Set elements as {@code nft list} prints them: in its order, which is not the order they were
 * added but the result of nft's own sort of what the kernel returned ({@code list_expr_sort()} in
 * {@code netlink_list_setelems()}, comparing {@code expr_msort_value()}: a single value by its
 * number, a concatenation by its fields' bytes read as one little-endian number, so the last
 * byte of the last field counts most), ranges of an interval set ascending
 * ({@code interval_map_decompose()}), and concatenations with ranges ({@code pipapo} sets) in the
 * order they were added; keys as values, {@code address/prefix} or {@code low-high}; and the
 * separators of {@code calculate_delim()}: {@code ", "} within a line, a line break after every
 * element, every second (addresses, ct states) or every fifth (numbers) element of a named set.
 */
final class ElementPrinter {

    /** The continuation after a line break inside {@code elements = { ... }}. */
    private static final String NEWLINE = ",\n\t\t\t     ";

    private ElementPrinter() {}

    /** The elements in the order {@code nft list} prints them. */
    static List<SetElement> sorted(NftSet set) {
        List<SetElement> list = new ArrayList<>(set.elements());
        KeyType key = set.key();
        if (key.isConcat() && set.isInterval()) {
            return list;
        }
        Comparator<SetElement> order;
        if (key.isConcat()) {
            order = (a, b) -> a.low().compareFromLast(b.low());
        } else {
            DataType t = key.single();
            order = (a, b) -> Keys.numericCompare(t, a.low(), b.low());
        }
        list.sort(order);
        return list;
    }

    /** Appends an inline set, {@code { a, b }}. */
    static void printInline(NftSet set, StringBuilder out) {
        out.append("{ ");
        boolean first = true;
        for (SetElement e : sorted(set)) {
            out.append(first ? "" : ", ");
            first = false;
            element(set, e, out);
        }
        out.append(" }");
    }

    /** Appends a named set's {@code elements = { ... }} value (from the brace). */
    static void printNamed(NftSet set, StringBuilder out) {
        out.append("{ ");
        KeyType key = set.key();
        int perLine = key.isConcat() ? 1 : key.single().perLine();
        int count = 0;
        List<SetElement> elements = sorted(set);
        for (int i = 0; i < elements.size(); i++) {
            element(set, elements.get(i), out);
            count++;
            if (i + 1 < elements.size()) {
                if (count < perLine) {
                    out.append(", ");
                } else {
                    out.append(NEWLINE);
                    count = 0;
                }
            }
        }
        out.append(" }");
    }

    /** One element: key, its timeout, expiry and comment, and the mapped value or verdict. */
    static void element(NftSet set, SetElement e, StringBuilder out) {
        out.append(formatKey(set.key(), e.low(), e.high()));
        if (e.timeoutMillis() >= 0) {
            out.append(" timeout ").append(NftDuration.format(e.timeoutMillis()));
        }
        if (e.expiresMillis() >= 0) {
            out.append(" expires ").append(NftDuration.format(e.expiresMillis()));
        }
        if (e.comment() != null) {
            out.append(" comment \"").append(e.comment()).append('"');
        }
        if (e.verdict() != null) {
            out.append(" : ").append(e.verdict());
        } else if (e.data() != null) {
            out.append(" : ").append(formatKey(set.data(), e.data(), e.data()));
        }
    }

    /** A key of {@code type}: each field as a value, a prefix (addresses) or a range, joined by {@code " . "}. */
    static String formatKey(KeyType type, Datum low, Datum high) {
        StringBuilder s = new StringBuilder();
        List<DataType> fields = type.fields();
        for (int i = 0; i < fields.size(); i++) {
            DataType t = fields.get(i);
            int off = type.offset(i);
            Datum lo = fields.size() == 1 ? low : low.slice(off, t.length());
            Datum hi = fields.size() == 1 ? high : high.slice(off, t.length());
            if (i > 0) {
                s.append(" . ");
            }
            if (lo.equals(hi)) {
                s.append(t.format(lo));
                continue;
            }
            int prefix = t.isAddress() ? prefixLength(lo, hi) : -1;
            if (prefix >= 0) {
                s.append(t.format(lo)).append('/').append(prefix);
            } else {
                s.append(t.format(lo)).append('-').append(t.format(hi));
            }
        }
        return s.toString();
    }

    /** The prefix length when {@code [low, high]} is exactly one prefix, else -1. */
    static int prefixLength(Datum low, Datum high) {
        BigInteger lo = new BigInteger(1, low.toByteArray());
        BigInteger hi = new BigInteger(1, high.toByteArray());
        BigInteger span = hi.xor(lo);
        int bits = low.length() * 8;
        if (span.add(BigInteger.ONE).and(span).signum() != 0
                || lo.and(span).signum() != 0
                || !lo.or(span).equals(hi)) {
            return -1;
        }
        return bits - span.bitLength();
    }
}
