package io.kpsim.replay;

import io.kpsim.packet.Packet;
import io.kpsim.pcap.Ipv4Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes small captures in the shapes real nodes produce, byte by byte (pcap per tcpdump.org's
 * format, Linux cooked v1/v2 per libpcap's {@code LINKTYPE_LINUX_SLL}/{@code _SLL2} pages, pcapng
 * per draft-ietf-opsawg-pcapng), so replay is tested on files kpsim's own writer never makes.
 */
final class ShapeFiles {

    static final int LINKTYPE_ETHERNET = 1;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_LINUX_SLL2 = 276;
    static final int PACKET_HOST = 0;
    static final int PACKET_OUTGOING = 4;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long time = 1_700_000_000_000_000L; // microseconds

    private ShapeFiles() {}

    /** A little-endian microsecond pcap file of {@code linkType}. */
    static ShapeFiles pcap(int linkType) {
        ShapeFiles f = new ShapeFiles();
        f.put(le(24).putInt(0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(262144)
                .putInt(linkType));
        return f;
    }

    /** Appends a pcap record holding {@code frame}, 1 ms after the previous one. */
    ShapeFiles record(byte[] frame) {
        time += 1000;
        put(le(16).putInt((int) (time / 1_000_000))
                .putInt((int) (time % 1_000_000))
                .putInt(frame.length)
                .putInt(frame.length));
        out.write(frame, 0, frame.length);
        return this;
    }

    /** A pcapng section with one Ethernet interface per name (with {@code if_name}). */
    static ShapeFiles pcapng(String... interfaces) {
        ShapeFiles f = new ShapeFiles();
        f.put(le(28).putInt(0x0A0D0D0A)
                .putInt(28)
                .putInt(0x1A2B3C4D)
                .putShort((short) 1)
                .putShort((short) 0)
                .putLong(-1L)
                .putInt(28));
        for (String name : interfaces) {
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            int padded = (n.length + 3) & ~3;
            int length = 16 + 4 + padded + 4;
            f.put(le(length)
                    .putInt(1)
                    .putInt(length)
                    .putShort((short) LINKTYPE_ETHERNET)
                    .putShort((short) 0)
                    .putInt(262144)
                    .putShort((short) 2) // if_name
                    .putShort((short) n.length)
                    .put(n)
                    .put(new byte[padded - n.length])
                    .putInt(length));
        }
        return f;
    }

    /**
     * Appends an Enhanced Packet Block on interface {@code iface} with {@code epb_flags} carrying
     * {@code direction} (1 inbound, 2 outbound) in bits 0-1.
     */
    ShapeFiles enhancedPacket(int iface, int direction, byte[] frame) {
        time += 1000;
        int padded = (frame.length + 3) & ~3;
        int length = 32 + padded + 8 + 4;
        put(le(length)
                .putInt(6)
                .putInt(length)
                .putInt(iface)
                .putInt((int) (time >>> 32))
                .putInt((int) time)
                .putInt(frame.length)
                .putInt(frame.length)
                .put(frame)
                .put(new byte[padded - frame.length])
                .putShort((short) 2) // epb_flags
                .putShort((short) 4)
                .putInt(direction)
                .putInt(0) // opt_endofopt
                .putInt(length));
        return this;
    }

    /** A Linux cooked v1 frame ({@code tcpdump -i any} before libpcap 1.10). */
    static byte[] sll(int packetType, Packet p) {
        byte[] ip = Ipv4Encoder.encode(p);
        return ByteBuffer.allocate(16 + ip.length)
                .putShort((short) packetType)
                .putShort((short) 1) // ARPHRD_ETHER
                .putShort((short) 6)
                .put(new byte[] {2, 0, 0, 0, 0, 1, 0, 0})
                .putShort((short) 0x0800)
                .put(ip)
                .array();
    }

    /** A Linux cooked v2 frame ({@code tcpdump -i any} with libpcap 1.10+). */
    static byte[] sll2(int packetType, int ifindex, Packet p) {
        byte[] ip = Ipv4Encoder.encode(p);
        return ByteBuffer.allocate(20 + ip.length)
                .putShort((short) 0x0800)
                .putShort((short) 0)
                .putInt(ifindex)
                .putShort((short) 1)
                .put((byte) packetType)
                .put((byte) 6)
                .put(new byte[] {2, 0, 0, 0, 0, 1, 0, 0})
                .put(ip)
                .array();
    }

    /** An Ethernet frame from {@code src} to {@code dst} (48-bit MACs), 802.1Q tags {@code vlans} outermost first. */
    static byte[] ethernet(long dst, long src, Packet p, int... vlans) {
        byte[] ip = Ipv4Encoder.encode(p);
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * vlans.length + ip.length);
        putMac(b, dst);
        putMac(b, src);
        for (int i = 0; i < vlans.length; i++) {
            b.putShort((short) (i == 0 && vlans.length > 1 ? 0x88a8 : 0x8100));
            b.putShort((short) vlans[i]);
        }
        return b.putShort((short) 0x0800).put(ip).array();
    }

    /** An Ethernet frame carrying an IPv6 header (next header 59, no payload). */
    static byte[] ipv6(long dst, long src) {
        ByteBuffer b = ByteBuffer.allocate(14 + 40);
        putMac(b, dst);
        putMac(b, src);
        b.putShort((short) 0x86dd)
                .putInt(0x60000000)
                .putShort((short) 0)
                .put((byte) 59)
                .put((byte) 64);
        return b.put(new byte[32]).array();
    }

    private static void putMac(ByteBuffer b, long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            b.put((byte) (mac >>> shift));
        }
    }

    Path write(Path file) throws IOException {
        Files.write(file, out.toByteArray());
        return file;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void put(ByteBuffer b) {
        out.write(b.array(), 0, b.position());
    }
}
