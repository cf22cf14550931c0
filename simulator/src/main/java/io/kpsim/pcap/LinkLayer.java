package io.kpsim.pcap;

import io.kpsim.packet.Packet;
import java.util.Arrays;

/**
 * Link-layer framing around IPv4: builds frames for writing and injection, and finds the IPv4
 * header in captured frames.
 *
 * <p>MAC addresses are derived from IPv4 addresses the way OVN-Kubernetes and OpenShift SDN derive
 * pod MACs: {@code 0a:58} followed by the four address bytes (locally administered, unicast), so
 * frames are deterministic and Wireshark's MAC columns still say which pod is talking.
 *
 * <p>Decoding strips Ethernet II (with any number of 802.1Q / 802.1ad tags), Linux cooked v1
 * ({@code struct sll_header}) and v2 ({@code struct sll2_header}) headers, as libpcap's
 * {@code sll.h} lays them out; anything that is not IPv4 is skipped with its ethertype.
 */
public final class LinkLayer {

    /** Ethertype of IPv4. */
    public static final int ETHERTYPE_IPV4 = 0x0800;

    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88a8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPHRD_NETLINK = 824;
    /** {@code PACKET_HOST}: to this host. */
    public static final int PACKET_HOST = 0;
    /** {@code PACKET_BROADCAST}: to all. */
    public static final int PACKET_BROADCAST = 1;
    /** {@code PACKET_MULTICAST}: to a group. */
    public static final int PACKET_MULTICAST = 2;
    /** {@code PACKET_OTHERHOST}: to another host (seen in promiscuous mode, or on a bridge port). */
    public static final int PACKET_OTHERHOST = 3;
    /** {@code PACKET_OUTGOING}: sent by this host. */
    public static final int PACKET_OUTGOING = 4;

    private static final int SLL_HOST = PACKET_HOST;
    /** No interface: tcpdump would print the reading machine's name for any real index. */
    private static final int SLL2_IFINDEX = 0;

    private static final int MAC_LENGTH = 6;

    private LinkLayer() {}

    /** The MAC address kpsim gives an IPv4 address: {@code 0a:58:a:b:c:d}. */
    public static byte[] mac(int ip) {
        return new byte[] {0x0a, 0x58, (byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
    }

    /**
     * A frame of the given link type carrying {@code packet}.
     *
     * @throws IllegalArgumentException when the packet cannot be encoded (see {@link Ipv4Encoder})
     */
    public static byte[] encode(LinkType type, Packet packet) {
        int header = type.headerLength();
        byte[] frame = new byte[header + packet.totalLength()];
        writeHeader(type, packet, frame, 0);
        Ipv4Encoder.encode(packet, frame, header);
        return frame;
    }

    /**
     * Writes the frame of {@code packet} into {@code frame} (at least {@link #frameLength} bytes)
     * for a capture that keeps its first {@code snapLength} bytes: those are exactly
     * {@link #encode(LinkType, Packet)}'s, and the payload filler beyond them is not written (the
     * checksums still cover it). Returns the whole frame's length.
     */
    static int encode(LinkType type, Packet packet, byte[] frame, int snapLength) {
        int length = frameLength(type, packet);
        Arrays.fill(frame, 0, Math.min(length, snapLength), (byte) 0); // reused buffer: no stale byte in a gap
        writeHeader(type, packet, frame, 0);
        Ipv4Encoder.encode(packet, frame, type.headerLength(), snapLength);
        return length;
    }

    /** The length of {@code packet}'s frame of the given link type. */
    static int frameLength(LinkType type, Packet packet) {
        return type.headerLength() + packet.totalLength();
    }

    /** Writes the link header of {@code packet}'s frame at {@code at}: {@link LinkType#headerLength()} bytes. */
    static void writeHeader(LinkType type, Packet packet, byte[] f, int at) {
        writeHeader(type, packet.srcIp(), packet.dstIp(), f, at);
    }

    /** Writes the link header of a frame from {@code srcIp} to {@code dstIp} at {@code at}. */
    static void writeHeader(LinkType type, int srcIp, int dstIp, byte[] f, int at) {
        switch (type) {
            case ETHERNET -> {
                System.arraycopy(mac(dstIp), 0, f, at, MAC_LENGTH);
                System.arraycopy(mac(srcIp), 0, f, at + MAC_LENGTH, MAC_LENGTH);
                Bytes.putShort(f, at + 12, ETHERTYPE_IPV4);
            }
            case LINUX_SLL -> {
                Bytes.putShort(f, at, SLL_HOST);
                Bytes.putShort(f, at + 2, ARPHRD_ETHER);
                Bytes.putShort(f, at + 4, MAC_LENGTH);
                System.arraycopy(mac(srcIp), 0, f, at + 6, MAC_LENGTH);
                Bytes.putShort(f, at + 12, 0); // the address field's last two bytes: a MAC has six
                Bytes.putShort(f, at + 14, ETHERTYPE_IPV4);
            }
            case LINUX_SLL2 -> {
                Bytes.putShort(f, at, ETHERTYPE_IPV4);
                Bytes.putShort(f, at + 2, 0); // sll2_reserved_mbz
                Bytes.putInt(f, at + 4, SLL2_IFINDEX);
                Bytes.putShort(f, at + 8, ARPHRD_ETHER);
                f[at + 10] = SLL_HOST;
                f[at + 11] = MAC_LENGTH;
                System.arraycopy(mac(srcIp), 0, f, at + 12, MAC_LENGTH);
                Bytes.putShort(f, at + 18, 0); // the address field's last two bytes: a MAC has six
            }
            case RAW, IPV4 -> {
                // no link header
            }
        }
    }

    /**
     * Decodes the IPv4 packet in a captured frame whose length on the wire is unknown beyond what
     * {@code snapped} says (see {@link #decode(LinkType, byte[], int, int)}).
     */
    public static DecodedPacket decode(LinkType type, byte[] frame, int length, boolean snapped) {
        return decode(type, frame, length, snapped ? Integer.MAX_VALUE : length);
    }

    /**
     * Decodes the IPv4 packet in a captured frame.
     *
     * @param type the capture's link type
     * @param frame the captured bytes
     * @param length how many bytes of {@code frame} were captured
     * @param originalLength the frame's length on the wire (the record's {@code orig_len}), at
     *        least {@code length}: a datagram that claims more than it leaves is skipped, as
     *        {@code ip_rcv()} drops it ({@link Ipv4Decoder#decode(byte[], int, int, int)})
     * @return the packet, whose checksums are summed from {@code frame} when first asked for (so the
     *         frame must not change afterwards), or why the frame was skipped
     */
    public static DecodedPacket decode(LinkType type, byte[] frame, int length, int originalLength) {
        return switch (type) {
            case RAW, IPV4 -> Ipv4Decoder.decode(frame, 0, length, originalLength);
            case ETHERNET ->
                length < 14
                        ? DecodedPacket.skip("truncated Ethernet header")
                        : afterLinkHeader(frame, length, originalLength, 14, Bytes.getShort(frame, 12));
            case LINUX_SLL -> {
                if (length < 16) {
                    yield DecodedPacket.skip("truncated Linux cooked header");
                }
                yield Bytes.getShort(frame, 2) == ARPHRD_NETLINK
                        ? DecodedPacket.skip("not IPv4 (netlink)")
                        : afterLinkHeader(frame, length, originalLength, 16, Bytes.getShort(frame, 14));
            }
            case LINUX_SLL2 -> {
                if (length < 20) {
                    yield DecodedPacket.skip("truncated Linux cooked v2 header");
                }
                yield Bytes.getShort(frame, 8) == ARPHRD_NETLINK
                        ? DecodedPacket.skip("not IPv4 (netlink)")
                        : afterLinkHeader(frame, length, originalLength, 20, Bytes.getShort(frame, 0));
            }
        };
    }

    /**
     * The IPv4 packet after a link header of {@code offset} bytes whose protocol field says
     * {@code ethertype}, looking through 802.1Q and 802.1ad tags.
     */
    private static DecodedPacket afterLinkHeader(
            byte[] frame, int length, int originalLength, int offset, int ethertype) {
        while (ethertype == ETHERTYPE_VLAN || ethertype == ETHERTYPE_QINQ || ethertype == ETHERTYPE_QINQ_OLD) {
            if (length < offset + 4) {
                return DecodedPacket.skip("truncated VLAN tag");
            }
            ethertype = Bytes.getShort(frame, offset + 2);
            offset += 4;
        }
        if (ethertype != ETHERTYPE_IPV4) {
            return DecodedPacket.skip("not IPv4 (ethertype 0x" + hex4(ethertype) + ")");
        }
        int wire = originalLength == Integer.MAX_VALUE ? originalLength : originalLength - offset;
        return Ipv4Decoder.decode(frame, offset, length - offset, wire);
    }

    /**
     * The packet type a Linux cooked header carries ({@code sll_pkttype}, the kernel's
     * {@code skb->pkt_type} as {@code af_packet} saw it): {@link #PACKET_HOST},
     * {@link #PACKET_BROADCAST}, {@link #PACKET_MULTICAST}, {@link #PACKET_OTHERHOST} for packets the
     * interface received, {@link #PACKET_OUTGOING} for packets the host sent; -1 for other link
     * types and frames too short to carry one.
     */
    public static int packetType(LinkType type, byte[] frame) {
        return switch (type) {
            case LINUX_SLL -> frame.length >= 16 ? Bytes.getShort(frame, 0) : -1;
            case LINUX_SLL2 -> frame.length >= 20 ? frame[10] & 0xff : -1;
            case ETHERNET, RAW, IPV4 -> -1;
        };
    }

    /** {@code ARPHRD_LOOPBACK}: the loopback device's hardware type in a cooked header. */
    public static final int ARPHRD_LOOPBACK = 772;

    /** The hardware type ({@code ARPHRD_*}) a Linux cooked header carries, -1 for other frames. */
    public static int hardwareType(LinkType type, byte[] frame) {
        return switch (type) {
            case LINUX_SLL -> frame.length >= 16 ? Bytes.getShort(frame, 2) : -1;
            case LINUX_SLL2 -> frame.length >= 20 ? Bytes.getShort(frame, 8) : -1;
            case ETHERNET, RAW, IPV4 -> -1;
        };
    }

    /** The interface index a Linux cooked v2 header carries ({@code sll2_if_index}), 0 for other frames. */
    public static int interfaceIndex(LinkType type, byte[] frame) {
        return type == LinkType.LINUX_SLL2 && frame.length >= 20 ? Bytes.getInt(frame, 4) : 0;
    }

    /** An Ethernet frame's destination MAC as 48 bits, or -1 when the frame is not Ethernet or too short. */
    public static long destinationMac(LinkType type, byte[] frame) {
        return type == LinkType.ETHERNET && frame.length >= 14 ? mac48(frame, 0) : -1;
    }

    /** An Ethernet frame's source MAC as 48 bits, or -1 when the frame is not Ethernet or too short. */
    public static long sourceMac(LinkType type, byte[] frame) {
        return type == LinkType.ETHERNET && frame.length >= 14 ? mac48(frame, MAC_LENGTH) : -1;
    }

    /** Whether a 48-bit MAC is a group (broadcast or multicast) address: the I/G bit of its first byte. */
    public static boolean isGroupMac(long mac) {
        return (mac & (1L << 40)) != 0;
    }

    /** The MAC kpsim derives for an IPv4 address ({@link #mac(int)}), as 48 bits. */
    public static long mac48(int ip) {
        return mac48(mac(ip), 0);
    }

    private static long mac48(byte[] b, int at) {
        long m = 0;
        for (int i = 0; i < MAC_LENGTH; i++) {
            m = (m << 8) | (b[at + i] & 0xff);
        }
        return m;
    }

    /** {@code 0a:58:0a:f4:01:02} for a 48-bit MAC. */
    public static String formatMac(long mac) {
        StringBuilder s = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int octet = (int) (mac >>> shift) & 0xff;
            s.append(shift == 40 ? "" : ":")
                    .append(Character.forDigit(octet >>> 4, 16))
                    .append(Character.forDigit(octet & 0xf, 16));
        }
        return s.toString();
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (or with {@code -}) into 48 bits.
     *
     * @throws IllegalArgumentException when the text is not six hexadecimal octets
     */
    public static long parseMac(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != MAC_LENGTH) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected aa:bb:cc:dd:ee:ff)");
        }
        long m = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected aa:bb:cc:dd:ee:ff)");
            }
            m = (m << 8) | Integer.parseInt(p, 16);
        }
        return m;
    }

    /** {@code String.format("%04x", value)} for 0..0xffff, without the formatter's parsing per call. */
    private static String hex4(int value) {
        String hex = Integer.toHexString(value);
        return "0000".substring(hex.length()) + hex;
    }
}
