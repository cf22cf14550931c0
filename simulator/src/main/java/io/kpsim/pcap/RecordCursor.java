package io.kpsim.pcap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.nio.ByteOrder;
import org.pcap4j.core.PcapHandle;

/**
 * Pulls a savefile's records one by one with {@code pcap_next_ex()} ({@link PcapNextEx}) on the
 * {@code pcap_t} that pcap4j opened, copying each record's header fields and bytes into Java.
 *
 * <p>pcap4j opens the file ({@code pcap_open_offline_with_tstamp_precision()}, nanoseconds), so the
 * format, byte order, timestamp scaling and open-time errors are libpcap's, as before. It keeps the
 * {@code pcap_t *} in a private field, {@code PcapHandle.handle} (pcap4j 1.8.2), read here once per
 * file by reflection.
 *
 * <p>Per record there are four JNI crossings and no Java-side marshalling: the call, one read of
 * the two out-pointers, one of the {@code struct pcap_pkthdr}, and one of the bytes into a new
 * {@code byte[caplen]} (the frame a {@link CaptureRecord} keeps). The {@link Pointer}s are reused,
 * re-aimed with {@link Pointer#nativeValue(Pointer, long)}. The header is read as native
 * {@code int}s: {@code struct timeval} (two C {@code long}s, {@link Native#LONG_SIZE} bytes each),
 * then {@code caplen} and {@code len} ({@code bpf_u_int32}).
 *
 * <p>Not thread-safe; the pointers libpcap returns are valid only until the next call or close, so
 * the caller must not close the handle while a call is in flight.
 */
class RecordCursor {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** C {@code long}s per {@code int}-sized slot: 2 on LP64 (Linux, macOS), 1 on LLP64 (Windows). */
    private static final int LONG_INTS = Native.LONG_SIZE / Integer.BYTES;
    /** Which {@code int} of a 64-bit C {@code long} holds its low half, in native byte order. */
    private static final int LOW = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 1;

    private static final int TV_SEC = 0;
    private static final int TV_USEC = LONG_INTS;
    private static final int CAPLEN = 2 * LONG_INTS;
    private static final int LEN = CAPLEN + 1;
    private static final int HEADER_INTS = LEN + 1;
    private static final int POINTER_BYTES = 8;

    private final long pcap;
    /** The two out-parameters of {@code pcap_next_ex()}: {@code pkt_header}, then {@code pkt_data}. */
    private final Memory out = new Memory(2L * POINTER_BYTES);

    private final long headerOut;
    private final long dataOut;
    private final long[] pointers = new long[2];
    private final int[] header = new int[HEADER_INTS];
    private final Pointer headerAt = new Pointer(0);
    private final Pointer dataAt = new Pointer(0);

    /** The last record's capture time in nanoseconds since the epoch. */
    long timestampNanos;
    /**
     * The last record's fraction of a second in nanoseconds, as libpcap gave it: below
     * 1,000,000,000 in any sound file (libpcap passes a pcap-ns file's value through, and scales a
     * microsecond file's by 1000, without checking either).
     */
    long fractionNanos;
    /** The last record's length on the wire ({@code len}). */
    int originalLength;
    /** The last record's captured bytes ({@code caplen} of them). */
    byte[] frame;

    /** A cursor over the {@code pcap_t *} {@code pcap}; tests subclass it to feed records without libpcap. */
    RecordCursor(long pcap) {
        this.pcap = pcap;
        this.headerOut = Pointer.nativeValue(out);
        this.dataOut = headerOut + POINTER_BYTES;
    }

    /**
     * A cursor over the records of the file {@code handle} has open.
     *
     * @throws IllegalStateException when the JVM's pointers are not 64 bits wide, or pcap4j keeps
     *         its {@code pcap_t} somewhere kpsim cannot reach
     * @throws UnsatisfiedLinkError when libpcap has no {@code pcap_next_ex()}
     */
    static RecordCursor on(PcapHandle handle) {
        if (Native.POINTER_SIZE != POINTER_BYTES || (LONG_INTS != 1 && LONG_INTS != 2)) {
            throw new IllegalStateException("kpsim reads captures on 64-bit JVMs only (this one has "
                    + Native.POINTER_SIZE * Byte.SIZE + "-bit pointers)");
        }
        long pcap = Pointer.nativeValue(pcapT(handle));
        if (pcap == 0) {
            throw new IllegalStateException("pcap4j's handle has no pcap_t (PcapHandle.handle is NULL)");
        }
        try { // binds pcap_next_ex(): a libpcap without it fails at open, not at the first record
            MethodHandles.lookup().ensureInitialized(PcapNextEx.class);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot initialize the pcap_next_ex() binding", e);
        }
        return new RecordCursor(pcap);
    }

    private static Pointer pcapT(PcapHandle handle) {
        Object value;
        try {
            Field field = PcapHandle.class.getDeclaredField("handle");
            field.setAccessible(true);
            value = field.get(handle);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot reach pcap4j's pcap_t (PcapHandle.handle: " + e + "); kpsim needs pcap4j 1.8.2", e);
        }
        if (value instanceof Pointer pointer) {
            return pointer;
        }
        throw new IllegalStateException("pcap4j's PcapHandle.handle is not a JNA Pointer ("
                + (value == null ? "null" : value.getClass().getName()) + "); kpsim needs pcap4j 1.8.2");
    }

    /**
     * Reads the next record; on {@link PcapNextEx#RECORD} its fields are in {@link #timestampNanos},
     * {@link #originalLength} and {@link #frame}.
     *
     * @return what {@code pcap_next_ex()} returned
     */
    int next() {
        int status = PcapNextEx.pcap_next_ex(pcap, headerOut, dataOut);
        if (status != PcapNextEx.RECORD) {
            return status;
        }
        out.read(0, pointers, 0, 2);
        Pointer.nativeValue(headerAt, pointers[0]);
        int[] h = header;
        headerAt.read(0, h, 0, HEADER_INTS);
        fractionNanos = nativeLong(h, TV_USEC);
        timestampNanos = nativeLong(h, TV_SEC) * NANOS_PER_SECOND + fractionNanos;
        originalLength = h[LEN];
        byte[] bytes = new byte[h[CAPLEN]];
        if (bytes.length > 0) {
            Pointer.nativeValue(dataAt, pointers[1]);
            dataAt.read(0, bytes, 0, bytes.length);
        }
        frame = bytes;
        return status;
    }

    /** A signed C {@code long} at int slot {@code i} (with pcap4j's {@code NativeLong.longValue()}). */
    private static long nativeLong(int[] h, int i) {
        if (LONG_INTS == 1) {
            return h[i];
        }
        return ((long) h[i + 1 - LOW] << 32) | (h[i + LOW] & 0xffffffffL);
    }
}
