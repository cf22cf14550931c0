package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import io.kpsim.pcap.CaptureException;
import io.kpsim.pcap.LinkType;
import io.kpsim.pcap.PcapWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records a run writes down are framed on the framer thread into the same bytes as written
 * straight to the captures, across many blocks and whatever the packets; what the framer thread
 * cannot write reaches the run's thread; a stop keeps, when asked, what was written down before it.
 */
class CaptureFramerTest {

    private static final int CLIENT = Ip4.parse("10.244.1.2");
    private static final int SERVER = Ip4.parse("10.244.2.2");

    @Test
    void framedBlocksHoldTheBytesOfRecordsWrittenStraight(@TempDir Path dir) throws IOException {
        List<Packet> packets = packets(new Random(17), 12 * CaptureFramer.BLOCK_WORDS / 6);
        PcapWriter[] straight = writers(dir, "straight", 3);
        PcapWriter[] framed = writers(dir, "framed", 3);
        CaptureFramer framer = new CaptureFramer(framed, new String[] {"f0", "f1", "f2"}, (f, e) -> e);
        for (int i = 0; i < packets.size(); i++) {
            straight[i % 3].write(1_000L * i, packets.get(i));
            framer.append(i % 3, 1_000L * i, packets.get(i));
            framer.append(-1, 1_000L * i, packets.get(i)); // no capture: nothing written
        }
        framer.finish();
        for (int f = 0; f < 3; f++) {
            straight[f].close();
            framed[f].close();
            assertEquals((packets.size() + 2 - f) / 3, framed[f].count());
            assertArrayEquals(
                    Files.readAllBytes(dir.resolve("straight" + f + ".pcap")),
                    Files.readAllBytes(dir.resolve("framed" + f + ".pcap")),
                    "capture " + f);
        }
    }

    @Test
    void whatTheFramerThreadCannotWriteIsThrownOnTheRunsThread(@TempDir Path dir) {
        PcapWriter[] w = writers(dir, "closed", 1);
        w[0].close(); // every write now fails
        CaptureFramer framer = new CaptureFramer(
                w, new String[] {"closed0.pcap"}, (f, e) -> new CaptureException(f + ": " + e.getMessage(), e));
        framer.append(0, 1, data(1, List.of()));
        IllegalStateException failure = assertThrows(IllegalStateException.class, framer::finish);
        assertTrue(failure.getMessage().endsWith("writer is closed"), failure.getMessage());
        assertThrows(IllegalStateException.class, framer::finish, "asked again, the same failure");
        assertEquals(0, framer.stop(true), "the capture whose writer failed");
    }

    @Test
    void aStopKeepsWhatWasWrittenDownBeforeItAndDropsWhatFollows(@TempDir Path dir) {
        List<Packet> packets = packets(new Random(5), 3 * CaptureFramer.BLOCK_WORDS / 6);
        PcapWriter[] kept = writers(dir, "kept", 1);
        CaptureFramer framer = new CaptureFramer(kept, new String[] {"kept0"}, (f, e) -> e);
        for (int i = 0; i < packets.size(); i++) {
            framer.append(0, i, packets.get(i));
        }
        assertEquals(-1, framer.stop(true));
        for (int i = 0; i < 3 * CaptureFramer.BLOCK_WORDS; i++) { // the run goes on for some blocks
            framer.append(0, i, packets.get(i % packets.size()));
        }
        framer.finish();
        assertEquals(packets.size(), kept[0].count());

        PcapWriter[] dropped = writers(dir, "dropped", 1);
        framer = new CaptureFramer(dropped, new String[] {"dropped0"}, (f, e) -> e);
        framer.append(0, 1, data(1, List.of()));
        framer.stop(false);
        assertEquals(0, dropped[0].count());
    }

    private static PcapWriter[] writers(Path dir, String name, int n) {
        PcapWriter[] w = new PcapWriter[n];
        for (int i = 0; i < n; i++) {
            w[i] = PcapWriter.create(dir.resolve(name + i + ".pcap"), LinkType.ETHERNET, 128);
        }
        return w;
    }

    /** Data, acknowledgements with up to four SACK blocks, SYNs with every option, UDP and ICMP. */
    private static List<Packet> packets(Random r, int n) {
        List<Packet> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<SackBlock> blocks = new ArrayList<>();
            for (int b = r.nextInt(5); b > 0; b--) {
                blocks.add(new SackBlock(r.nextInt(), r.nextInt()));
            }
            p.add(
                    switch (r.nextInt(10)) {
                        case 0 ->
                            Packet.tcp(
                                    CLIENT,
                                    SERVER,
                                    new TcpSegment(
                                            40000,
                                            8080,
                                            r.nextInt(),
                                            0,
                                            TcpFlags.SYN,
                                            64240,
                                            0,
                                            TcpOptions.syn(1460, 7, true).withTimestamps(r.nextInt(), 0),
                                            0));
                        case 1 -> Packet.udp(CLIENT, SERVER, new UdpDatagram(5353, 53, r.nextInt(600)));
                        case 2 -> Packet.icmp(SERVER, CLIENT, IcmpMessage.echo(8, 1, i, r.nextInt(64)));
                        default -> data(r.nextInt(), blocks.size() > 3 ? blocks.subList(0, 3) : blocks);
                    });
        }
        return p;
    }

    private static Packet data(int seq, List<SackBlock> blocks) {
        TcpOptions o = new TcpOptions(TcpOptions.ABSENT, TcpOptions.ABSENT, false, blocks, true, seq, ~seq);
        return new Packet(
                CLIENT,
                SERVER,
                seq & 0xff,
                seq >>> 16,
                63,
                new TcpSegment(40000, 8080, seq, ~seq, TcpFlags.ACK, 501, 0, o, blocks.isEmpty() ? 1448 : 0));
    }
}
