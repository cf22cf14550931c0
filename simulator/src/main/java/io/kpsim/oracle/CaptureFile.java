package io.kpsim.oracle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a classic libpcap file (the {@code tcpdump -w} format, micro- or nanosecond, either byte
 * order) down to the exact IPv4 bytes of each record, which is what the oracle injects.
 *
 * <p>Link types: Ethernet (with 802.1Q tags), raw IPv4 ({@code LINKTYPE_RAW},
 * {@code LINKTYPE_IPV4}), Linux cooked v1/v2 ({@code tcpdump -i any}) and BSD loopback.
 * Records that are not IPv4 are kept as skipped, with the reason, so indices stay aligned with
 * the model's. pcapng is refused with a one-line hint.
 */
final class CaptureFile {

    /**
     * One record.
     *
     * @param index 0-based position in the file
     * @param ipv4 the IPv4 packet bytes (header onwards), {@code null} when skipped
     * @param headers the parsed headers, {@code null} when skipped
     * @param skipped why the record is not replayed, else {@code null}
     */
    record Record(int index, byte[] ipv4, WireIpv4 headers, String skipped) {
    }

    private CaptureFile() {
    }

    /** Reads every record of {@code path}; bad files are one-line {@link IllegalArgumentException}s. */
    static List<Record> read(Path path) {
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot read: " + e.getMessage(), e);
        }
        if (data.length < 24) {
            throw new IllegalArgumentException(path + ": not a pcap file (shorter than its 24-byte header)");
        }
        ByteBuffer buf = ByteBuffer.wrap(data);
        int magic = buf.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magic == 0x0a0d0d0a) {
            throw new IllegalArgumentException(path + ": pcapng is not supported here; convert with"
                    + " 'editcap -F pcap IN OUT'");
        }
        if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
            buf.order(ByteOrder.LITTLE_ENDIAN);
        } else if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            throw new IllegalArgumentException(path + ": not a pcap file (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int linkType = buf.getInt(20) & 0x0fffffff;
        List<Record> records = new ArrayList<>();
        int offset = 24;
        while (offset < data.length) {
            if (offset + 16 > data.length) {
                throw new IllegalArgumentException(path + ": record " + records.size() + ": truncated record header");
            }
            int captured = buf.getInt(offset + 8);
            if (captured < 0 || offset + 16 + captured > data.length) {
                throw new IllegalArgumentException(path + ": record " + records.size() + ": truncated ("
                        + captured + " bytes announced)");
            }
            records.add(record(records.size(), data, offset + 16, captured, linkType));
            offset += 16 + captured;
        }
        return records;
    }

    private static Record record(int index, byte[] data, int start, int length, int linkType) {
        int ip;
        int etherType;
        switch (linkType) {
            case 1 -> {
                if (length < 14) {
                    return skipped(index, "Ethernet frame shorter than its header");
                }
                int at = start + 12;
                etherType = u16(data, at);
                while ((etherType == 0x8100 || etherType == 0x88a8) && at + 6 <= start + length) {
                    at += 4;
                    etherType = u16(data, at);
                }
                ip = at + 2;
            }
            case 101, 228, 12, 14 -> {
                etherType = 0x0800;
                ip = start;
            }
            case 113 -> {
                etherType = length >= 16 ? u16(data, start + 14) : 0;
                ip = start + 16;
            }
            case 276 -> {
                etherType = length >= 20 ? u16(data, start) : 0;
                ip = start + 20;
            }
            case 0 -> {
                etherType = length >= 4 && (data[start] == 2 || data[start + 3] == 2) ? 0x0800 : 0;
                ip = start + 4;
            }
            default -> {
                return skipped(index, "link type " + linkType + " is not supported");
            }
        }
        if (etherType != 0x0800) {
            return skipped(index, "not IPv4 (ethertype 0x" + String.format("%04x", etherType) + ")");
        }
        int end = start + length;
        if (end - ip < 20 || (data[ip] & 0xf0) != 0x40) {
            return skipped(index, "not IPv4");
        }
        int total = u16(data, ip + 2);
        if (total < 20 || ip + total > end) {
            return skipped(index, "IPv4 packet truncated by the capture (total length " + total + ")");
        }
        byte[] bytes = java.util.Arrays.copyOfRange(data, ip, ip + total);
        int fragment = u16(bytes, 6);
        if ((fragment & 0x3fff) != 0) {
            return skipped(index, "IPv4 fragment");
        }
        return new Record(index, bytes, WireIpv4.parse(bytes, 0), null);
    }

    private static Record skipped(int index, String why) {
        return new Record(index, null, null, why);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }
}
