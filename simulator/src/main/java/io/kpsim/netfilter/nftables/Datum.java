package io.kpsim.netfilter.nftables;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One value as nf_tables holds it in a register or a set key: raw bytes, big-endian for network
 * fields (addresses, ports, protocol numbers) and host order (little-endian on x86) for
 * {@code meta mark}, {@code ct state}, {@code numgen} results and interface names, exactly as
 * {@code nft_payload_eval()}, {@code nft_meta_get_eval()} and {@code nft_ct_get_eval()} store
 * them. Keeping the kernel's byte layout lets one representation serve lookups (equality of
 * concatenated registers, {@code nft_lookup_eval()}), interval checks ({@code memcmp} order, as
 * the rbtree and pipapo backends compare) and the order in which {@code nft list} prints set
 * elements (its {@code mpz} sort in {@code src/mergesort.c}).
 *
 * <p>Immutable: the bytes are copied in and never handed out.
 */
public final class Datum implements Comparable<Datum> {

    private final byte[] bytes;
    private final int hash;

    private Datum(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** A datum holding a copy of {@code bytes}. */
    public static Datum of(byte[] bytes) {
        return new Datum(bytes.clone());
    }

    /** A datum taking ownership of {@code bytes} (the caller must not change them afterwards). */
    static Datum wrap(byte[] bytes) {
        return new Datum(bytes);
    }

    /** A big-endian number of {@code length} bytes. */
    public static Datum bigEndian(long value, int length) {
        byte[] b = new byte[length];
        for (int i = length - 1; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return new Datum(b);
    }

    /** A host-order (little-endian) number of {@code length} bytes. */
    public static Datum hostOrder(long value, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return new Datum(b);
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** Byte {@code i}, unsigned. */
    public int at(int i) {
        return bytes[i] & 0xff;
    }

    /** The value read big-endian (at most 8 bytes). */
    public long bigEndianValue() {
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }

    /** The value read in host order (at most 8 bytes). */
    public long hostOrderValue() {
        long v = 0;
        for (int i = bytes.length - 1; i >= 0; i--) {
            v = (v << 8) | (bytes[i] & 0xff);
        }
        return v;
    }

    /** Copies the bytes into {@code target} at {@code offset}. */
    void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** This datum followed by {@code other}'s bytes (a concatenation's key). */
    public Datum concat(Datum other) {
        byte[] b = Arrays.copyOf(bytes, bytes.length + other.bytes.length);
        System.arraycopy(other.bytes, 0, b, bytes.length, other.bytes.length);
        return new Datum(b);
    }

    /** The part {@code [from, from + length)}. */
    public Datum slice(int from, int length) {
        return new Datum(Arrays.copyOfRange(bytes, from, from + length));
    }

    /**
     * {@code memcmp()} order: unsigned bytes from the first. For big-endian data it is numeric
     * order, the order in which the kernel's interval backends keep ranges.
     */
    @Override
    public int compareTo(Datum o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    /**
     * The order of {@code mpz_import(..., BYTEORDER_HOST_ENDIAN)} on a little-endian host:
     * unsigned bytes from the <em>last</em>. nft sorts concatenated set keys this way
     * ({@code concat_expr_msort_value()}), and host-order single values too.
     */
    public int compareFromLast(Datum o) {
        int n = Math.max(bytes.length, o.bytes.length);
        for (int i = n - 1; i >= 0; i--) {
            int a = i < bytes.length ? bytes[i] & 0xff : 0;
            int b = i < o.bytes.length ? o.bytes[i] & 0xff : 0;
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Datum d && d.hash == hash && Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The bytes in hex, as {@code nft --debug=netlink} shows register data. */
    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
