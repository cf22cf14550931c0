package io.kpsim.pcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a pcapng file (draft-ietf-opsawg-pcapng): a Section Header Block (whose byte-order magic
 * {@code 0x1A2B3C4D} gives the section's byte order), Interface Description Blocks (link type,
 * snap length, {@code if_name}, {@code if_tsresol}, {@code if_tsoffset}), and packets in Enhanced
 * (type 6), Simple (3) or obsolete Packet (2) Blocks. Every other block (name resolution,
 * statistics, decryption secrets, custom) is passed over.
 *
 * <p>Why kpsim reads it itself: libpcap's reader drops each packet's {@code epb_flags} (inbound or
 * outbound, section 4.3.1) and the interface it came from, and refuses files whose interfaces have
 * different link types. Here each record carries its {@link CaptureInterface} and flags.
 *
 * <p>A new section starts from no interfaces, as the format says. Errors are one line: a block
 * cut short by the end of the file ("record N is truncated", N the index the next record would
 * have), a block length that is not a multiple of 4 or disagrees with its trailing copy, a packet
 * naming an interface the section has not described.
 */
final class PcapngFileSource extends RecordSource {

    /** Block type of a Section Header Block (the same in either byte order). */
    static final int SECTION_HEADER = 0x0A0D0D0A;

    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int PACKET_OBSOLETE = 2;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;
    private static final int OPT_ENDOFOPT = 0;
    private static final int IF_NAME = 2;
    private static final int IF_TSRESOL = 9;
    private static final int IF_TSOFFSET = 14;
    private static final int EPB_FLAGS = 2;
    /** libpcap's limit on one block (16 MiB): anything longer is a corrupt length. */
    private static final int MAX_BLOCK = 16 << 20;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String name;
    private final FileWindow file;
    private final List<Interface> interfaces = new ArrayList<>();
    private CaptureInterface first;
    private long index;

    /** An interface with how to turn its timestamps into nanoseconds. */
    private record Interface(CaptureInterface description, boolean binary, int exponent, long offsetSeconds) {}

    private PcapngFileSource(String name, FileWindow file) {
        this.name = name;
        this.file = file;
    }

    /**
     * Reads the section header and every block up to the first interface description.
     *
     * @throws CaptureException when the header is truncated or wrong, or the first interface has a
     *         link type kpsim does not read
     */
    static PcapngFileSource open(String name, FileWindow file) {
        PcapngFileSource source = new PcapngFileSource(name, file);
        if (!file.ensure(28)) {
            throw new CaptureException(name + ": not a pcap or pcapng file (file header truncated)", -1);
        }
        source.block(true);
        while (source.first == null) {
            if (file.atEnd()) {
                throw new CaptureException(name + ": a pcapng file without an interface description", -1);
            }
            source.block(true);
        }
        return source;
    }

    @Override
    boolean next() {
        while (!file.atEnd()) {
            if (block(false)) {
                index++;
                return true;
            }
        }
        return false;
    }

    /**
     * Reads one block.
     *
     * @param opening whether the file is being opened (a packet before the first interface is then an error)
     * @return whether it was a packet (now in the record fields)
     */
    private boolean block(boolean opening) {
        if (!file.ensure(8)) {
            throw truncated();
        }
        ByteBuffer b = file.buffer();
        int at = b.position();
        int type = b.getInt(at);
        if (type == SECTION_HEADER) {
            if (!file.ensure(12)) {
                throw truncated();
            }
            b = file.buffer();
            at = b.position();
            int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(at + 8);
            if (magic == BYTE_ORDER_MAGIC) {
                file.order(ByteOrder.BIG_ENDIAN);
            } else if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
                file.order(ByteOrder.LITTLE_ENDIAN);
            } else {
                throw new CaptureException(name + ": not a pcap or pcapng file (bad section byte-order magic)", -1);
            }
            interfaces.clear();
        }
        int length = b.getInt(at + 4);
        if (length < 12 || length % 4 != 0 || length > MAX_BLOCK) {
            throw new CaptureException(
                    name + ": record " + index + " is in a pcapng block with a corrupt length ("
                            + Integer.toUnsignedString(length) + " bytes)",
                    index);
        }
        if (!file.ensure(length)) {
            throw truncated();
        }
        b = file.buffer();
        at = b.position();
        if (b.getInt(at + length - 4) != length) {
            throw new CaptureException(
                    name + ": record " + index + " is in a pcapng block whose trailing length disagrees with its"
                            + " leading one",
                    index);
        }
        boolean packet = switch (type) {
            case INTERFACE_DESCRIPTION -> {
                describe(b, at, length);
                yield false;
            }
            case ENHANCED_PACKET -> packet(b, at, length, b.getInt(at + 8), at + 12, at + 28, true);
            case PACKET_OBSOLETE -> packet(b, at, length, b.getShort(at + 8) & 0xffff, at + 12, at + 28, true);
            case SIMPLE_PACKET -> simple(b, at, length);
            default -> false;
        };
        if (packet && opening) {
            throw new CaptureException(name + ": record 0 comes before any interface description", 0);
        }
        file.skip(length);
        return packet;
    }

    private void describe(ByteBuffer b, int at, int length) {
        if (length < 20) {
            throw corrupt("an interface description block too short");
        }
        int linkType = b.getShort(at + 8) & 0xffff;
        int snapLength = b.getInt(at + 12);
        String ifName = null;
        boolean binary = false;
        int exponent = 6;
        long offset = 0;
        int o = at + 16;
        int end = at + length - 4;
        while (o + 4 <= end) {
            int code = b.getShort(o) & 0xffff;
            int size = b.getShort(o + 2) & 0xffff;
            int value = o + 4;
            if (code == OPT_ENDOFOPT || value + size > end) {
                break;
            }
            switch (code) {
                case IF_NAME -> {
                    byte[] text = new byte[size];
                    b.get(value, text);
                    ifName = new String(text, StandardCharsets.UTF_8).replace("\0", "");
                }
                case IF_TSRESOL -> {
                    int r = b.get(value) & 0xff;
                    binary = (r & 0x80) != 0;
                    exponent = r & 0x7f;
                }
                case IF_TSOFFSET -> offset = b.getLong(value);
                default -> {
                    // other options say nothing replay needs
                }
            }
            o = value + ((size + 3) & ~3);
        }
        LinkType type = LinkType.of(linkType);
        if (type == null) {
            throw PcapFileSource.unsupported(name, linkType);
        }
        int digits = binary ? Math.min(9, (int) Math.ceil(exponent * Math.log10(2))) : Math.min(9, exponent);
        CaptureInterface d = new CaptureInterface(interfaces.size(), type, snapLength, ifName, digits);
        interfaces.add(new Interface(d, binary, exponent, offset));
        if (first == null) {
            first = d;
        }
    }

    private boolean packet(ByteBuffer b, int at, int length, int interfaceId, int tsAt, int dataAt, boolean options) {
        if (length < 32) {
            throw corrupt("a packet block too short");
        }
        Interface i = iface(interfaceId);
        long units = ((b.getInt(tsAt) & 0xffffffffL) << 32) | (b.getInt(tsAt + 4) & 0xffffffffL);
        int captured = b.getInt(tsAt + 8);
        int original = b.getInt(tsAt + 12);
        int end = at + length - 4;
        if (captured < 0 || dataAt + captured > end) {
            throw corrupt("a packet block whose captured length (" + Integer.toUnsignedString(captured)
                    + " bytes) does not fit in it");
        }
        if (Integer.compareUnsigned(original, captured) < 0) {
            throw new CaptureException(
                    name + ": record " + index + " has an original length (" + Integer.toUnsignedString(original)
                            + " bytes) shorter than the " + captured + " bytes captured: a corrupt record header",
                    index);
        }
        byte[] bytes = new byte[captured];
        b.get(dataAt, bytes);
        int f = 0;
        if (options) {
            int o = dataAt + ((captured + 3) & ~3);
            while (o + 4 <= end) {
                int code = b.getShort(o) & 0xffff;
                int size = b.getShort(o + 2) & 0xffff;
                if (code == OPT_ENDOFOPT || o + 4 + size > end) {
                    break;
                }
                if (code == EPB_FLAGS && size == 4) {
                    f = b.getInt(o + 4);
                }
                o += 4 + ((size + 3) & ~3);
            }
        }
        set(i, nanos(i, units), bytes, original, f);
        return true;
    }

    private boolean simple(ByteBuffer b, int at, int length) {
        if (length < 16) {
            throw corrupt("a simple packet block too short");
        }
        Interface i = iface(0);
        int original = b.getInt(at + 8);
        int room = length - 16;
        int snap = i.description().snapLength();
        int captured = Math.min(room, Integer.compareUnsigned(original, room) < 0 ? original : room);
        if (snap > 0) {
            captured = Math.min(captured, snap);
        }
        byte[] bytes = new byte[captured];
        b.get(at + 12, bytes);
        // A simple packet block carries no timestamp: 0, moved by the interface's if_tsoffset as
        // libpcap moves it (sf-pcapng.c adds the offset to every packet's time), so the two agree.
        set(i, nanos(i, 0), bytes, original, 0);
        return true;
    }

    private void set(Interface i, long nanos, byte[] bytes, int original, int f) {
        frame = bytes;
        originalLength = original < 0 ? Integer.MAX_VALUE : original;
        timestampNanos = nanos;
        iface = i.description();
        flags = f;
    }

    /** The timestamp in nanoseconds since the epoch, from units of the interface's resolution. */
    private static long nanos(Interface i, long units) {
        long nanos;
        if (i.binary()) {
            int e = i.exponent();
            long seconds = e >= 64 ? 0 : units >>> e;
            long fraction = e >= 64 ? units : units & ((1L << e) - 1);
            long fractionNanos = e == 0 ? 0 : Math.multiplyHigh(fraction << (64 - e), NANOS_PER_SECOND);
            nanos = seconds * NANOS_PER_SECOND + fractionNanos;
        } else {
            int e = i.exponent();
            if (e <= 9) {
                long scale = pow10(9 - e);
                nanos = Long.divideUnsigned(units, pow10(e)) * NANOS_PER_SECOND
                        + Long.remainderUnsigned(units, pow10(e)) * scale;
            } else {
                nanos = Long.divideUnsigned(units, pow10(e - 9));
            }
        }
        return nanos + i.offsetSeconds() * NANOS_PER_SECOND;
    }

    private static long pow10(int e) {
        long p = 1;
        for (int k = 0; k < e && k < 18; k++) {
            p *= 10;
        }
        return p;
    }

    private Interface iface(int id) {
        if (id < 0 || id >= interfaces.size()) {
            throw new CaptureException(
                    name + ": record " + index + " names interface " + Integer.toUnsignedString(id)
                            + ", which its section does not describe",
                    index);
        }
        return interfaces.get(id);
    }

    private CaptureException truncated() {
        return new CaptureException(name + ": record " + index + " is truncated", index);
    }

    private CaptureException corrupt(String what) {
        return new CaptureException(name + ": record " + index + " is in " + what, index);
    }

    @Override
    CaptureInterface firstInterface() {
        return first;
    }

    @Override
    public void close() {
        file.close();
    }
}
