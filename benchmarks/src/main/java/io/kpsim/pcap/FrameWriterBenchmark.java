package io.kpsim.pcap;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one pcap record of {@code kpsim run --pcap} costs to write, in nanoseconds per record, on
 * the packets a bulk download puts on a capture point: full-size data segments and pure ACKs with
 * the timestamp option, a SACK now and then, addresses and ports of many connections. The records
 * go to {@code /dev/null}, so the figure is the encoding, the copies and the {@code write(2)} calls,
 * not the disk.
 *
 * <ul>
 *   <li>{@code writer}: {@link PcapWriter#write}, the TCP fast path ({@link TcpFrameEncoder}
 *       straight into {@link RecordBuffer}).</li>
 *   <li>{@code sessionFiveWriter}: the baseline, the writer as session 5 left it, kept runnable
 *       here: {@link LinkLayer}'s general encoder into a reused frame (zeroed up to the snap length,
 *       checksums summed over the bytes), then a 16-byte record header and the kept bytes through a
 *       64 KiB {@link BufferedOutputStream}.</li>
 * </ul>
 *
 * <p>This class sits in {@code io.kpsim.pcap} to reach the package's encoders without making them
 * public. See src/docs/benchmarks.md, section 8, "pcap writing (session 6)".
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class FrameWriterBenchmark {

    private static final int PACKETS = 4096;
    private static final long SEED = 0x70636170L;
    private static final Path SINK = Path.of("/dev/null");

    /** Bytes kept of each frame: kpsim run's default, and whole frames. */
    @Param({"128", "0"})
    public int snapLength;

    private Packet[] packets;
    private PcapWriter writer;
    private OutputStream sessionFiveOut;
    private final ByteBuffer recordHeader = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    private byte[] frame = new byte[2048];
    private int snap;
    private long now;

    @Setup(Level.Trial)
    public void open() throws IOException {
        packets = bulkDownload(new Random(SEED));
        writer = PcapWriter.create(SINK, LinkType.ETHERNET, snapLength);
        snap = writer.snapLength();
        sessionFiveOut = new BufferedOutputStream(
                Files.newOutputStream(SINK, StandardOpenOption.WRITE, StandardOpenOption.APPEND), 1 << 16);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        writer.close();
        sessionFiveOut.close();
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long writer() {
        for (Packet p : packets) {
            writer.write(now++, p);
        }
        return writer.count();
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long sessionFiveWriter() throws IOException {
        for (Packet p : packets) {
            int length = LinkLayer.frameLength(LinkType.ETHERNET, p);
            if (frame.length < length) {
                frame = new byte[Math.max(length, frame.length * 2)];
            }
            LinkLayer.encode(LinkType.ETHERNET, p, frame, snap);
            long t = now++;
            int captured = Math.min(length, snap);
            recordHeader.clear();
            recordHeader
                    .putInt((int) (t / 1_000_000_000L))
                    .putInt((int) (t % 1_000_000_000L))
                    .putInt(captured)
                    .putInt(length);
            sessionFiveOut.write(recordHeader.array(), 0, 16);
            sessionFiveOut.write(frame, 0, captured);
        }
        return now;
    }

    /** Two data segments for each ACK, one ACK in 16 with SACK blocks, 64 connections through one node. */
    static Packet[] bulkDownload(Random r) {
        Packet[] out = new Packet[PACKETS];
        int client = Ip4.parse("10.244.1.2");
        int server = Ip4.parse("10.244.2.3");
        for (int i = 0; i < PACKETS; i++) {
            int port = 40_000 + r.nextInt(64);
            int ts = r.nextInt();
            if (i % 3 != 2) {
                TcpOptions options = TcpOptions.NONE.withTimestamps(ts, ts - 40);
                TcpSegment data =
                        new TcpSegment(8080, port, r.nextInt(), r.nextInt(), TcpFlags.ACK, 509, 0, options, 1460);
                out[i] = new Packet(server, client, 0, r.nextInt(0x10000), 63, data);
            } else {
                TcpOptions options = TcpOptions.NONE.withTimestamps(ts, ts - 40);
                if (r.nextInt(16) == 0) {
                    int left = r.nextInt();
                    options = options.withSackBlocks(List.of(new SackBlock(left, left + 2920)));
                }
                TcpSegment ack =
                        new TcpSegment(port, 8080, r.nextInt(), r.nextInt(), TcpFlags.ACK, 2048, 0, options, 0);
                out[i] = new Packet(client, server, 0, r.nextInt(0x10000), 64, ack);
            }
        }
        return out;
    }
}
