package io.kpsim.bench;

import io.kpsim.replay.Replayer;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Replay throughput by CPU time as well as wall clock: not a JMH benchmark but its companion for
 * shared, loaded machines, where a wall-clock rate mostly measures the wait for a core. Replays a
 * capture {@code rounds} times into a JSON Lines file, as {@code kpsim replay --format jsonl >
 * file} does, each round followed by the same replay through the pre-tuning output path
 * ({@code println} per record) as a baseline, and prints packets/s by wall clock, by CPU time of
 * the replaying thread (decode,
 * netfilter, conntrack, JSON) and by CPU time of the whole process (adds the reader's read-ahead
 * thread, GC and JIT).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.kpsim.bench.ReplayRates CAPTURE OUT [ROUNDS]};
 * the capture comes from {@link ReplayCaptureGenerator} (its services are assumed).
 */
public final class ReplayRates {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ReplayRates() {}

    /** Entry point: {@code CAPTURE OUT [ROUNDS]}. */
    public static void main(String[] args) throws IOException {
        Path capture = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Replayer replayer = new Replayer(ReplayThroughputBenchmark.nodeConfig(), false);
        for (int round = 0; round < rounds; round++) {
            for (boolean baseline : new boolean[] {false, true}) {
                long wall = System.nanoTime();
                long thread = THREADS.getCurrentThreadCpuTime();
                long process = processCpu();
                long packets = replay(replayer, capture, out, baseline);
                double w = (System.nanoTime() - wall) / 1e9;
                double t = (THREADS.getCurrentThreadCpuTime() - thread) / 1e9;
                double p = (processCpu() - process) / 1e9;
                if (packets < 0) {
                    try (Stream<String> lines = Files.lines(out)) {
                        packets = lines.count();
                    }
                }
                System.out.printf(
                        "round %d %-7s: %d packets in %6.3f s: %,11.0f/s wall, %,11.0f/s replay-thread CPU,"
                                + " %,11.0f/s process CPU%n",
                        round, baseline ? "println" : "jsonl", packets, w, packets / w, packets / t, packets / p);
            }
        }
    }

    /**
     * One replay into {@code out}: {@code kpsim replay --format jsonl} through the command line's
     * entry point, or as the baseline, the output path before tuning (an autoflushing
     * {@code println(record.toJson())} per record).
     */
    private static long replay(Replayer replayer, Path capture, Path out, boolean baseline) throws IOException {
        if (!baseline) {
            ReplayThroughputBenchmark.replayCommand(capture, out);
            return -1; // counted by the caller, outside the timed region
        }
        long[] packets = new long[1];
        try (PrintWriter writer =
                new PrintWriter(new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8), true)) {
            replayer.replay(capture, capture.getFileName().toString(), step -> {
                writer.println(step.record().toJson());
                packets[0]++;
            });
        }
        return packets[0];
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
