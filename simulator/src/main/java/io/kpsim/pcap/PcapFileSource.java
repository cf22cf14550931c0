package io.kpsim.pcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a classic pcap savefile ({@code pcap-savefile(5)}): a 24-byte file header whose magic
 * number gives the byte order and the resolution ({@code 0xa1b2c3d4} microseconds,
 * {@code 0xa1b23c4d} nanoseconds), then records of a 16-byte header (seconds, fraction, captured
 * length, original length) and the captured bytes.
 *
 * <p>What libpcap refuses, this refuses with a one-line {@link CaptureException}: a record cut
 * short by the end of the file ("record N is truncated"), a captured length beyond any snap length
 * ({@code max_snaplen_for_dlt()}, 262144, or the file's own when larger), an original length
 * shorter than the captured bytes, a fraction of a second that is not below one second.
 */
final class PcapFileSource extends RecordSource {

    /** Microsecond pcap, in the writer's byte order. */
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    /** Nanosecond pcap. */
    static final int MAGIC_NANOS = 0xa1b23c4d;
    /** libpcap's {@code MAXIMUM_SNAPLEN}. */
    static final int MAXIMUM_SNAPLEN = 262_144;

    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String name;
    private final FileWindow file;
    private final CaptureInterface only;
    private final boolean nanos;
    private final int maxCaptured;
    private long index;

    private PcapFileSource(String name, FileWindow file, CaptureInterface only, boolean nanos, int snapLength) {
        this.name = name;
        this.file = file;
        this.only = only;
        this.nanos = nanos;
        this.maxCaptured = Math.max(MAXIMUM_SNAPLEN, snapLength);
    }

    /**
     * Reads the file header of {@code file}, whose first four bytes are a pcap magic number.
     *
     * @throws CaptureException when the header is truncated or names a link type kpsim does not read
     */
    static PcapFileSource open(String name, FileWindow file) {
        if (!file.ensure(FILE_HEADER)) {
            throw new CaptureException(name + ": not a pcap or pcapng file (file header truncated)", -1);
        }
        ByteBuffer b = file.buffer();
        int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(b.position());
        ByteOrder order =
                magic == MAGIC_MICROS || magic == MAGIC_NANOS ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        file.order(order);
        int m = b.getInt(b.position());
        boolean nanos = m == MAGIC_NANOS;
        int snapLength = b.getInt(b.position() + 16);
        int linkField = b.getInt(b.position() + 20);
        file.skip(FILE_HEADER);
        int linkType = linkField & 0xffff; // the upper bits say whether frames carry an FCS
        LinkType type = LinkType.of(linkType);
        if (type == null) {
            throw unsupported(name, linkType);
        }
        CaptureInterface iface = new CaptureInterface(0, type, snapLength, null, nanos ? 9 : 6);
        return new PcapFileSource(name, file, iface, nanos, snapLength);
    }

    /** Whether {@code magic}, read big-endian from a file's first four bytes, is a pcap magic number. */
    static boolean isMagic(int magic) {
        return magic == MAGIC_MICROS
                || magic == MAGIC_NANOS
                || magic == Integer.reverseBytes(MAGIC_MICROS)
                || magic == Integer.reverseBytes(MAGIC_NANOS);
    }

    static CaptureException unsupported(String name, int linkType) {
        return new CaptureException(
                name + ": unsupported link type " + linkType + " (" + LibpcapErrors.linkTypeName(linkType)
                        + "); kpsim reads Ethernet, raw IPv4, Linux cooked v1/v2",
                -1);
    }

    @Override
    boolean next() {
        if (file.atEnd()) {
            return false;
        }
        if (!file.ensure(RECORD_HEADER)) {
            throw truncated();
        }
        ByteBuffer b = file.buffer();
        int at = b.position();
        long seconds = b.getInt(at); // libpcap reads ts_sec as a bpf_int32 (struct pcap_timeval): signed
        long fraction = (b.getInt(at + 4) & 0xffffffffL) * (nanos ? 1 : 1000);
        int captured = b.getInt(at + 8);
        int original = b.getInt(at + 12);
        if (captured < 0 || captured > maxCaptured) {
            throw new CaptureException(
                    name + ": record " + index + " claims " + Integer.toUnsignedString(captured)
                            + " captured bytes, more than any snap length (" + maxCaptured
                            + "): a corrupt record header",
                    index);
        }
        if (Integer.compareUnsigned(original, captured) < 0) {
            throw new CaptureException(
                    name + ": record " + index + " has an original length (" + Integer.toUnsignedString(original)
                            + " bytes) shorter than the " + captured + " bytes captured: a corrupt record header",
                    index);
        }
        if (fraction >= NANOS_PER_SECOND) {
            throw new CaptureException(
                    name + ": record " + index + " has a timestamp whose fraction of a second (" + fraction
                            + " ns) is not below one second: a corrupt record header",
                    index);
        }
        if (!file.ensure(RECORD_HEADER + captured)) {
            throw truncated();
        }
        file.skip(RECORD_HEADER);
        byte[] bytes = new byte[captured];
        b = file.buffer();
        b.get(bytes);
        frame = bytes;
        originalLength = original < 0 ? Integer.MAX_VALUE : original;
        timestampNanos = seconds * NANOS_PER_SECOND + fraction;
        iface = only;
        flags = 0;
        index++;
        return true;
    }

    private CaptureException truncated() {
        return new CaptureException(name + ": record " + index + " is truncated", index);
    }

    @Override
    CaptureInterface firstInterface() {
        return only;
    }

    @Override
    public void close() {
        file.close();
    }
}
