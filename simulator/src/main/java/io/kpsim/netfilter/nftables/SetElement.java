package io.kpsim.netfilter.nftables;

/**
 * One element of a set or map: its key (a single value, or for interval sets a range per field:
 * {@code low} and {@code high} hold the fields' lower and upper bounds side by side), what a map
 * maps it to, and the element's own comment, timeout and remaining lifetime as {@code nft list}
 * shows them ({@code 10.0.0.5 timeout 1h expires 59m58s}).
 *
 * @param low the key, or each field's lower bound
 * @param high each field's upper bound ({@code equals(low)} for a plain value)
 * @param data a map's value, or {@code null}
 * @param verdict a verdict map's verdict, or {@code null}
 * @param comment the element comment, or {@code null}
 * @param timeoutMillis the element's own timeout, or -1
 * @param expiresMillis the lifetime left when listed, or -1 (kpsim counts it from time zero)
 */
public record SetElement(
        Datum low, Datum high, Datum data, Verdict verdict, String comment, long timeoutMillis, long expiresMillis) {

    /** Validates. */
    public SetElement {
        if (low == null || high == null || low.length() != high.length()) {
            throw new IllegalArgumentException("an element needs bounds of the same length");
        }
        if (data != null && verdict != null) {
            throw new IllegalArgumentException("an element maps to a value or a verdict, not both");
        }
    }

    /** A plain element of a set. */
    public static SetElement of(Datum key) {
        return new SetElement(key, key, null, null, null, -1, -1);
    }

    /** An element of a verdict map. */
    public static SetElement mapping(Datum key, Verdict verdict) {
        return new SetElement(key, key, null, verdict, null, -1, -1);
    }

    /** This element with a comment. */
    public SetElement withComment(String text) {
        return new SetElement(low, high, data, verdict, text, timeoutMillis, expiresMillis);
    }

    /** Whether the key is a single value (no range in any field). */
    public boolean isPoint() {
        return low.equals(high);
    }
}
