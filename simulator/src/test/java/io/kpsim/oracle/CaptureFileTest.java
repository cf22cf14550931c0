package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Packet;
import io.kpsim.pcap.CaptureException;
import io.kpsim.pcap.Ipv4Encoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFileTest {

    @TempDir
    Path dir;

    @Test
    void readsBackTheExactBytesWritten() {
        Packet p = WireIpv4Test.syn();
        // the IPv4 bytes handed to the kernel are exactly the encoded packet, Ethernet framing removed
        Path f = dir.resolve("one.pcap");
        ConversationGenerator.write(f, List.of(p, p));
        List<CaptureFile.Record> r = CaptureFile.read(f);
        assertEquals(2, r.size());
        assertArrayEquals(Ipv4Encoder.encode(p), r.get(1).ipv4());
        assertEquals(1, r.get(1).index());
        assertNull(r.get(0).skipped());
    }

    @Test
    void rawIpBigEndianAndNonIpv4Records() throws IOException {
        byte[] ip = Ipv4Encoder.encode(WireIpv4Test.syn());
        byte[] arp = new byte[28];
        ByteBuffer b =
                ByteBuffer.allocate(24 + 16 + ip.length + 16 + arp.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(65535)
                .putInt(101);
        b.putInt(0).putInt(0).putInt(ip.length).putInt(ip.length).put(ip);
        b.putInt(0).putInt(0).putInt(arp.length).putInt(arp.length).put(arp);
        Path f = dir.resolve("raw.pcap");
        Files.write(f, b.array());
        List<CaptureFile.Record> r = CaptureFile.read(f);
        assertArrayEquals(ip, r.get(0).ipv4());
        assertNotNull(r.get(1).skipped());
        assertNull(r.get(1).ipv4());
    }

    /** A raw-IP (linktype 101) pcap of {@code packets}. */
    private Path rawPcap(String name, byte[]... packets) throws IOException {
        int size = 24;
        for (byte[] p : packets) {
            size += 16 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(65535)
                .putInt(101);
        for (byte[] p : packets) {
            b.putInt(0).putInt(0).putInt(p.length).putInt(p.length).put(p);
        }
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    @Test
    void anOffloadedChecksumIsCompletedBeforeInjectionAndABadOneIsLeftBad() throws IOException {
        byte[] good = Ipv4Encoder.encode(WireIpv4Test.syn());
        int at = 20 + 16; // the TCP checksum field
        // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum (not complemented), as
        // tcp_v4_send_check() leaves it for the NIC.
        long sum = 0;
        for (int i = 12; i < 20; i += 2) {
            sum += ((good[i] & 0xff) << 8) | (good[i + 1] & 0xff);
        }
        sum += 6 + (good.length - 20);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        byte[] partial = good.clone();
        partial[at] = (byte) (sum >>> 8);
        partial[at + 1] = (byte) sum;
        byte[] bad = good.clone();
        bad[at] ^= 0x5a;
        List<CaptureFile.Record> r = CaptureFile.read(rawPcap("offload.pcap", partial, bad, good));
        assertArrayEquals(good, r.get(0).ipv4(), "the partial checksum is completed to the full one");
        assertTrue(r.get(0).checksumCompleted());
        assertArrayEquals(bad, r.get(1).ipv4(), "a wrong checksum reaches the kernel as captured");
        assertEquals(false, r.get(1).checksumCompleted());
        assertArrayEquals(good, r.get(2).ipv4());
        assertEquals(false, r.get(2).checksumCompleted());
    }

    @Test
    void aTotalLengthBeyondTheFrameIsSkippedAsIpRcvDropsItNotPadded() throws IOException {
        byte[] ip = Ipv4Encoder.encode(WireIpv4Test.syn());
        byte[] claims = ip.clone();
        int total = ip.length + 100; // the header claims 100 bytes the frame never carried
        claims[2] = (byte) (total >>> 8);
        claims[3] = (byte) total;
        ByteBuffer b = ByteBuffer.allocate(24 + 2 * (16 + ip.length)).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(65535)
                .putInt(101);
        b.putInt(0).putInt(0).putInt(claims.length).putInt(claims.length).put(claims);
        b.putInt(0).putInt(0).putInt(ip.length).putInt(ip.length).put(ip);
        Path f = dir.resolve("long-total.pcap");
        Files.write(f, b.array());
        List<CaptureFile.Record> r = CaptureFile.read(f);
        assertEquals(2, r.size());
        assertNull(r.get(0).ipv4(), "no zero-padded datagram is injected");
        assertTrue(
                r.get(0).skipped().contains("ip_rcv() drops it before conntrack"),
                r.get(0).skipped());
        assertArrayEquals(ip, r.get(1).ipv4());
    }

    @Test
    void badFilesAreOneLineErrors() throws IOException {
        Path ng = dir.resolve("x.pcapng");
        Files.write(
                ng, new byte[] {0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureFile.read(ng));
        assertTrue(e.getMessage().contains("x.pcapng") && !e.getMessage().contains("\n"), e.getMessage());
        Path cut = dir.resolve("cut.pcap");
        ConversationGenerator.write(cut, List.of(WireIpv4Test.syn()));
        byte[] all = Files.readAllBytes(cut);
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 3));
        e = assertThrows(CaptureException.class, () -> CaptureFile.read(cut));
        assertTrue(e.getMessage().contains("cut.pcap") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
