package io.kpsim.netfilter.nftables;

import java.util.List;

/**
 * The type of a set key, a map's data or an expression's value: one {@link DataType} or a
 * concatenation of several ({@code ipv4_addr . inet_proto . inet_service}), whose value is the
 * fields' bytes one after the other.
 *
 * @param fields the data types, in order (at least one)
 */
public record KeyType(List<DataType> fields) {

    /** Copies and validates. */
    public KeyType {
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a key type needs at least one data type");
        }
    }

    /** A single data type. */
    public static KeyType of(DataType type) {
        return new KeyType(List.of(type));
    }

    /** Whether this is a concatenation of two or more fields. */
    public boolean isConcat() {
        return fields.size() > 1;
    }

    /** The only field's type. */
    public DataType single() {
        if (fields.size() != 1) {
            throw new IllegalStateException(this + " is a concatenation");
        }
        return fields.get(0);
    }

    /** Bytes of a whole value. */
    public int length() {
        int n = 0;
        for (DataType t : fields) {
            n += t.length();
        }
        return n;
    }

    /** The offset of field {@code i} in a value. */
    public int offset(int i) {
        int n = 0;
        for (int k = 0; k < i; k++) {
            n += fields.get(k).length();
        }
        return n;
    }

    /** E.g. {@code ipv4_addr . inet_proto . inet_service}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (DataType t : fields) {
            if (s.length() > 0) {
                s.append(" . ");
            }
            s.append(t.keyword());
        }
        return s.toString();
    }
}
