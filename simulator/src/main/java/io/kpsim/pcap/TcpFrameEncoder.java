package io.kpsim.pcap;

import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpSegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The capture writer's fast path for TCP, nearly every record a run writes: the frame is written
 * straight into the writer's output buffer, field by field with word-wide stores, and both
 * checksums are added up from the field values as they are stored rather than read back from the
 * bytes (RFC 1071 §2(A)-(B): the ones' complement sum is the same whatever order and width the
 * 16-bit words are added in), the payload filler's part by {@link Ipv4Encoder#fillerSum} and the
 * options' as {@link TcpOptionCodec#encode(long[], int, byte[], int)} writes them. The fields come
 * packed as {@link TcpHeaderWords}, so that the framing needs no {@link Packet} and can be done on
 * another thread than the run's. The bytes are exactly {@link LinkLayer#encode(LinkType,
 * Packet)}'s ({@code TcpFrameEncoderTest} compares them): the same {@code ip_send_check()} and
 * {@code csum_tcpudp_magic()} words, only summed without a second pass.
 *
 * <p>Only the bytes a record keeps are meant: the headers are always written whole (at most
 * {@link #MAX_HEADERS} bytes, which the caller leaves room for beyond the kept part, to be
 * overwritten by the next record), the filler only up to the snap length.
 */
final class TcpFrameEncoder {

    /** The longest link, IPv4 and TCP headers together: Linux cooked v2 (20), IPv4 (20), TCP with 40 option bytes. */
    static final int MAX_HEADERS = 20 + Packet.IPV4_HEADER + TcpSegment.MIN_HEADER + TcpOptionCodec.MAX_LENGTH;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    /** {@code 0a:58} in front of the four address bytes ({@link LinkLayer#mac(int)}). */
    private static final long MAC_PREFIX = 0x0a58L;

    private static final int DONT_FRAGMENT = 0x4000;

    private TcpFrameEncoder() {}

    /**
     * Writes the frame of the TCP packet packed at {@code w[wAt]} ({@link TcpHeaderWords}) at
     * {@code at}: headers whole, filler (from {@code filler}, the repeated {@link Ipv4Encoder#FILLER})
     * up to {@code snapLength} bytes of frame. Returns the whole frame's length.
     *
     * @param out room for at least {@code max(MAX_HEADERS, min(frame length, snapLength))} bytes from {@code at}
     * @param filler at least {@code min(payload length, snapLength)} bytes of filler
     */
    static int encode(LinkType type, long[] w, int wAt, byte[] out, int at, int snapLength, byte[] filler) {
        long w0 = w[wAt];
        long addresses = w[wAt + 1];
        int src = (int) (addresses >>> 32);
        int dst = (int) addresses;
        int optionLength = TcpHeaderWords.optionLength(w, wAt);
        int tcpHeader = TcpSegment.MIN_HEADER + optionLength;
        int payload = TcpHeaderWords.payloadLength(w, wAt);
        int total = Packet.IPV4_HEADER + tcpHeader + payload;
        int ip = at + type.headerLength();
        if (type == LinkType.ETHERNET) {
            LONG.set(out, at, (MAC_PREFIX << 48) | ((dst & 0xffffffffL) << 16) | MAC_PREFIX);
            INT.set(out, at + 8, src);
            SHORT.set(out, at + 12, (short) LinkLayer.ETHERTYPE_IPV4);
        } else {
            LinkLayer.writeHeader(type, src, dst, out, at);
        }
        int tos = (int) (w0 >>> 40) & 0xff;
        int id = (int) (w0 >>> 16) & 0xffff;
        int ttlProtocol = ((int) (w0 >>> 48) & 0xff) << 8 | Protocol.TCP.number();
        long ipSum = (0x4500 | tos) + total + id + DONT_FRAGMENT + ttlProtocol + halves(src) + halves(dst);
        int ipChecksum = InternetChecksum.finish(ipSum);
        LONG.set(
                out, ip, (0x45L << 56) | ((long) tos << 48) | ((long) total << 32) | ((long) id << 16) | DONT_FRAGMENT);
        LONG.set(out, ip + 8, ((long) ttlProtocol << 48) | ((long) ipChecksum << 32) | (src & 0xffffffffL));
        INT.set(out, ip + 16, dst);

        int p = ip + Packet.IPV4_HEADER;
        long portsSeq = w[wAt + 2];
        long ackWindow = w[wAt + 3];
        int offsetFlags = ((tcpHeader / 4) << 12) | (int) (w0 >>> 56);
        long sum = InternetChecksum.pseudoHeader(src, dst, Protocol.TCP.number(), tcpHeader + payload)
                + halves((int) (portsSeq >>> 32))
                + halves((int) portsSeq)
                + halves((int) (ackWindow >>> 32))
                + halves((int) ackWindow)
                + offsetFlags
                + TcpOptionCodec.encode(w, wAt, out, p + TcpSegment.MIN_HEADER)
                + Ipv4Encoder.fillerSum(payload);
        LONG.set(out, p, portsSeq);
        INT.set(out, p + 8, (int) (ackWindow >>> 32));
        INT.set(out, p + 12, (offsetFlags << 16) | ((int) ackWindow >>> 16));
        INT.set(out, p + 16, (InternetChecksum.finish(sum) << 16) | ((int) ackWindow & 0xffff));
        int data = p + tcpHeader;
        int fill = Math.min(payload, at + snapLength - data);
        if (fill > 0) {
            System.arraycopy(filler, 0, out, data, fill);
        }
        return data + payload - at;
    }

    /** The two 16-bit words of {@code value}, added. */
    private static long halves(int value) {
        return (value >>> 16) + (value & 0xffff);
    }
}
