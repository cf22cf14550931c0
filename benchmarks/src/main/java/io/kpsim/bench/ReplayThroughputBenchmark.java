package io.kpsim.bench;

import io.kpsim.cli.Main;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.PcapReader;
import io.kpsim.replay.NodeConfig;
import io.kpsim.replay.Replayer;
import io.kpsim.replay.ServiceMapping;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * {@code kpsim replay} end to end, one whole capture per operation: libpcap reading (on the
 * reader's read-ahead thread), frame decoding, the node's PREROUTING/FORWARD/POSTROUTING walk
 * (conntrack, kube-proxy DNAT and its reverse), the {@link io.kpsim.replay.ReplayRecord} and its
 * output. The capture comes from {@link ReplayCaptureGenerator}: {@code packets} records of
 * {@code packets / 50} concurrent TCP connections through four ClusterIP services.
 *
 * <p>The secondary result {@code packets} is the rate in packets per second (an
 * {@link AuxCounters} operation count); the primary is whole replays per second.
 *
 * <ul>
 *   <li>{@code jsonlToFile}: {@code kpsim replay --format jsonl} into a file, through the command line's
 *       own entry point ({@link Main#execute}) with the file as its standard output: everything but
 *       the JVM's start.</li>
 *   <li>{@code printlnToFile}: the baseline, the output path before tuning: one autoflushing
 *       {@code println(record.toJson())} per record.</li>
 *   <li>{@code records}: the records only, handed to a {@link Blackhole}: replay without output.</li>
 *   <li>{@code readOnly}: reading and decoding only, the floor the replay sits on.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ReplayThroughputBenchmark {

    /** The capture, generated once per trial into a temporary directory. */
    @State(Scope.Benchmark)
    public static class Capture {
        @Param({"20000", "1000000"})
        public int packets;

        Path directory;
        Path file;
        Path output;
        Replayer replayer;

        @Setup(Level.Trial)
        public void generate() throws IOException {
            directory = Files.createTempDirectory("kpsim-replay-bench");
            file = directory.resolve("capture.pcap");
            output = directory.resolve("out.jsonl");
            ReplayCaptureGenerator.benchmarkCapture(packets).write(file);
            replayer = new Replayer(nodeConfig(), false);
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            Files.deleteIfExists(file);
            Files.deleteIfExists(output);
            Files.deleteIfExists(directory);
        }

        PrintWriter outputWriter() {
            try {
                return new PrintWriter(
                        new OutputStreamWriter(Files.newOutputStream(output), StandardCharsets.UTF_8), true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Packets replayed, reported as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Packets {
        public long packets;
    }

    /** The node {@code kpsim replay} builds from {@link ReplayCaptureGenerator#serviceArgs()}. */
    static NodeConfig nodeConfig() {
        return new NodeConfig(
                ReplayCaptureGenerator.serviceArgs().stream()
                        .map(ServiceMapping::parse)
                        .toList(),
                KernelProfile.V6_18,
                Sysctls.defaults(KernelProfile.V6_18),
                false,
                1);
    }

    /**
     * Runs {@code kpsim replay --format jsonl CAPTURE} with {@code output} as its standard output,
     * through the command line's own entry point, as a user would type it with
     * {@link ReplayCaptureGenerator#serviceArgs()}.
     */
    static void replayCommand(Path capture, Path output) throws IOException {
        List<String> args = new ArrayList<>(List.of("replay", "--format", "jsonl"));
        for (String service : ReplayCaptureGenerator.serviceArgs()) {
            args.add("--service");
            args.add(service);
        }
        args.add(capture.toString());
        try (OutputStream bytes = Files.newOutputStream(output);
                PrintWriter out = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8))) {
            StringWriter err = new StringWriter();
            int code = Main.execute(out, new PrintWriter(err), bytes, args.toArray(String[]::new));
            if (code != 0) {
                throw new IllegalStateException("kpsim replay exited " + code + ": " + err);
            }
        }
    }

    @Benchmark
    public void jsonlToFile(Capture c, Packets counter) throws IOException {
        replayCommand(c.file, c.output);
        counter.packets += c.packets;
    }

    @Benchmark
    public void printlnToFile(Capture c, Packets counter) {
        try (PrintWriter out = c.outputWriter()) {
            c.replayer.replay(c.file, "capture.pcap", step -> {
                out.println(step.record().toJson());
                counter.packets++;
            });
        }
    }

    @Benchmark
    public void records(Capture c, Packets counter, Blackhole bh) {
        c.replayer.replay(c.file, "capture.pcap", step -> {
            bh.consume(step.record());
            counter.packets++;
        });
    }

    /**
     * As {@link #records}, through the sink that takes each record alone ({@code Replayer.replayRecords},
     * what the JSON Lines output and the oracle use): no full path result, tuples or step per packet.
     */
    @Benchmark
    public void recordsOnly(Capture c, Packets counter, Blackhole bh) {
        c.replayer.replayRecords(c.file, "capture.pcap", record -> {
            bh.consume(record);
            counter.packets++;
        });
    }

    @Benchmark
    public void readOnly(Capture c, Packets counter, Blackhole bh) {
        try (PcapReader reader = PcapReader.open(c.file)) {
            for (CaptureRecord record : reader) {
                bh.consume(record.decoded());
                counter.packets++;
            }
        }
    }
}
