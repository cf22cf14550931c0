package io.kpsim.bench;

import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.LinkLayer;
import io.kpsim.pcap.LinkType;
import io.kpsim.pcap.PcapReader;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reading a capture file: kpsim's own reader against pcap4j, one whole file per operation, on the
 * capture {@link ReplayCaptureGenerator} writes for {@code kpsim replay} (Ethernet, nanosecond
 * pcap). The secondary result {@code packets} is the rate in records per second.
 *
 * <ul>
 *   <li>{@code kpsimReader}: {@link PcapReader}, records parsed in plain Java from large reads on
 *       its read-ahead thread and decoded to packets there ({@code kpsim replay}'s reader).</li>
 *   <li>{@code pcap4jReader}: the baseline, pcap4j's {@code getNextRawPacketEx()} and
 *       {@code getTimestamp()} per record (libpcap through JNA: a native call and a copy per
 *       record), the frame decoded by the same {@link LinkLayer#decode} on the calling thread.</li>
 *   <li>{@code pcap4jRawOnly}: pcap4j's records without decoding, the floor of the baseline.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PcapReaderBenchmark {

    /** The capture, generated once per trial into a temporary directory. */
    @State(Scope.Benchmark)
    public static class Capture {
        @Param({"20000", "1000000"})
        public int packets;

        Path directory;
        Path file;

        @Setup(Level.Trial)
        public void generate() throws IOException {
            directory = Files.createTempDirectory("kpsim-reader-bench");
            file = directory.resolve("capture.pcap");
            ReplayCaptureGenerator.benchmarkCapture(packets).write(file);
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        }
    }

    /** Records read, reported as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Records {
        public long packets;
    }

    @Benchmark
    public void kpsimReader(Capture c, Records counter, Blackhole bh) {
        try (PcapReader reader = PcapReader.open(c.file)) {
            CaptureRecord r;
            while ((r = reader.next()) != null) {
                bh.consume(r.timestampNanos());
                bh.consume(r.decoded());
                counter.packets++;
            }
        }
    }

    @Benchmark
    public void pcap4jReader(Capture c, Records counter, Blackhole bh) throws Exception {
        pcap4j(c, counter, bh, true);
    }

    @Benchmark
    public void pcap4jRawOnly(Capture c, Records counter, Blackhole bh) throws Exception {
        pcap4j(c, counter, bh, false);
    }

    private static void pcap4j(Capture c, Records counter, Blackhole bh, boolean decode)
            throws PcapNativeException, NotOpenException, TimeoutException {
        try (PcapHandle h = Pcaps.openOffline(c.file.toString(), PcapHandle.TimestampPrecision.NANO)) {
            while (true) {
                byte[] frame;
                try {
                    frame = h.getNextRawPacketEx();
                } catch (EOFException e) {
                    return;
                }
                bh.consume(h.getTimestamp());
                if (decode) {
                    bh.consume(LinkLayer.decode(LinkType.ETHERNET, frame, frame.length, h.getOriginalLength()));
                }
                counter.packets++;
            }
        }
    }
}
