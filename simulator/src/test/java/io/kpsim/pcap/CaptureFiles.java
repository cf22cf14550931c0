package io.kpsim.pcap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds capture files byte by byte (pcap per the tcpdump.org format, pcapng per
 * draft-ietf-opsawg-pcapng), so the reader is tested on files pcap4j did not write.
 */
final class CaptureFiles {

    /** Microsecond pcap magic. */
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    /** Nanosecond pcap magic. */
    static final int MAGIC_NANOS = 0xa1b23c4d;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;
    private final boolean nanos;

    private CaptureFiles(ByteOrder order, boolean nanos) {
        this.order = order;
        this.nanos = nanos;
    }

    /** A pcap file with the given header. */
    static CaptureFiles pcap(int linkType, ByteOrder order, boolean nanos) {
        CaptureFiles f = new CaptureFiles(order, nanos);
        f.put(buffer(24, order)
                .putInt(nanos ? MAGIC_NANOS : MAGIC_MICROS)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(65535)
                .putInt(linkType));
        return f;
    }

    /** Appends a pcap record; {@code captured} bytes of {@code frame} are stored, {@code wire} is its length. */
    CaptureFiles record(long timestampNanos, byte[] frame, int captured, int wire) {
        long seconds = timestampNanos / 1_000_000_000L;
        long fraction = timestampNanos % 1_000_000_000L;
        put(buffer(16, order)
                .putInt((int) seconds)
                .putInt((int) (nanos ? fraction : fraction / 1000))
                .putInt(captured)
                .putInt(wire));
        out.write(frame, 0, Math.min(captured, frame.length));
        return this;
    }

    /** Appends a whole frame as a pcap record. */
    CaptureFiles record(long timestampNanos, byte[] frame) {
        return record(timestampNanos, frame, frame.length, frame.length);
    }

    /**
     * A pcapng file: a section header and one interface of {@code linkType}; {@code tsresol9} sets
     * {@code if_tsresol} to nanoseconds (else the default, microseconds).
     */
    static CaptureFiles pcapng(int linkType, boolean tsresol9) {
        CaptureFiles f = new CaptureFiles(ByteOrder.LITTLE_ENDIAN, tsresol9);
        f.put(buffer(28, ByteOrder.LITTLE_ENDIAN)
                .putInt(0x0A0D0D0A)
                .putInt(28)
                .putInt(0x1A2B3C4D)
                .putShort((short) 1)
                .putShort((short) 0)
                .putLong(-1L)
                .putInt(28));
        int idbLength = 20 + (tsresol9 ? 12 : 0);
        ByteBuffer idb = buffer(idbLength, ByteOrder.LITTLE_ENDIAN)
                .putInt(1)
                .putInt(idbLength)
                .putShort((short) linkType)
                .putShort((short) 0)
                .putInt(262144);
        if (tsresol9) {
            idb.putShort((short) 9)
                    .putShort((short) 1)
                    .put((byte) 9)
                    .put(new byte[3])
                    .putInt(0);
        }
        f.put(idb.putInt(idbLength));
        return f;
    }

    /** Appends a pcapng enhanced packet block. */
    CaptureFiles enhancedPacket(long timestampNanos, byte[] frame) {
        long units = nanos ? timestampNanos : timestampNanos / 1000;
        int padded = (frame.length + 3) & ~3;
        int length = 32 + padded;
        ByteBuffer b = buffer(length, ByteOrder.LITTLE_ENDIAN)
                .putInt(6)
                .putInt(length)
                .putInt(0)
                .putInt((int) (units >>> 32))
                .putInt((int) units)
                .putInt(frame.length)
                .putInt(frame.length);
        b.put(frame).put(new byte[padded - frame.length]).putInt(length);
        put(b);
        return this;
    }

    /** Appends a pcapng block of any type with the given body (padded to 4 bytes). */
    CaptureFiles block(int type, byte[] body) {
        int padded = (body.length + 3) & ~3;
        int length = 12 + padded;
        put(buffer(length, ByteOrder.LITTLE_ENDIAN)
                .putInt(type)
                .putInt(length)
                .put(body)
                .put(new byte[padded - body.length])
                .putInt(length));
        return this;
    }

    /** Appends raw bytes (for damaged files). */
    CaptureFiles raw(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    Path writeTo(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }

    private static ByteBuffer buffer(int size, ByteOrder order) {
        return ByteBuffer.allocate(size).order(order);
    }

    private void put(ByteBuffer b) {
        out.write(b.array(), 0, b.position());
    }
}
