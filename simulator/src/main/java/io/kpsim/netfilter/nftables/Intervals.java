package io.kpsim.netfilter.nftables;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Merging the ranges of a single-field interval set as nft does before it hands them to the
 * kernel ({@code set_automerge()} in {@code src/intervals.c}): for anonymous sets and
 * {@code auto-merge} sets, overlapping and adjacent ranges become one ({@code { 10.0.0.0/24,
 * 10.0.1.0/24 }} is listed as {@code { 10.0.0.0/23 }}); other sets keep their ranges, and overlap
 * is an error ("conflicting intervals specified").
 */
final class Intervals {

    private Intervals() {}

    /** Sorted, overlapping and adjacent ranges merged. */
    static List<SetElement> merge(List<SetElement> elements, DataType type) {
        List<SetElement> sorted = new ArrayList<>(elements);
        sorted.sort((a, b) -> Keys.numericCompare(type, a.low(), b.low()));
        List<SetElement> out = new ArrayList<>();
        SetElement current = null;
        for (SetElement e : sorted) {
            if (current != null
                    && value(type, e.low())
                                    .compareTo(value(type, current.high()).add(BigInteger.ONE))
                            <= 0) {
                if (Keys.numericCompare(type, e.high(), current.high()) > 0) {
                    current = new SetElement(current.low(), e.high(), null, null, null, -1, -1);
                }
                continue;
            }
            if (current != null) {
                out.add(current);
            }
            current = e;
        }
        if (current != null) {
            out.add(current);
        }
        return out;
    }

    /** The first pair of overlapping ranges, as "a" and "b" in the sorted order, or {@code null}. */
    static SetElement[] firstOverlap(List<SetElement> elements, DataType type) {
        List<SetElement> sorted = new ArrayList<>(elements);
        sorted.sort((a, b) -> Keys.numericCompare(type, a.low(), b.low()));
        for (int i = 1; i < sorted.size(); i++) {
            if (Keys.numericCompare(type, sorted.get(i).low(), sorted.get(i - 1).high()) <= 0) {
                return new SetElement[] {sorted.get(i - 1), sorted.get(i)};
            }
        }
        return null;
    }

    /** The numeric value of {@code d} of {@code type}. */
    static BigInteger value(DataType type, Datum d) {
        byte[] b = d.toByteArray();
        if (type.hostOrder()) {
            for (int i = 0, j = b.length - 1; i < j; i++, j--) {
                byte t = b[i];
                b[i] = b[j];
                b[j] = t;
            }
        }
        return new BigInteger(1, b);
    }
}
