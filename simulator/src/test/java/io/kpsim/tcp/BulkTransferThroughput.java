package io.kpsim.tcp;

import io.kpsim.engine.Durations;
import io.kpsim.engine.RandomStreams;
import io.kpsim.engine.Simulation;
import io.kpsim.packet.Ip4;

/**
 * A manual measurement, not a test: how many simulated segments per wall-clock second the engine
 * and the TCP stack sustain for a lossless bulk transfer between two stacks joined by a wire with
 * a one-way delay (no observer, no trace). The JMH suite in {@code benchmarks/} is the place for
 * numbers that matter; this is the quick check quoted in the TCP workstream's report.
 *
 * <p>Run after {@code mvn test-compile}:
 * {@code java -cp simulator/target/classes:simulator/target/test-classes
 * io.kpsim.tcp.BulkTransferThroughput 1024 5 500} (MiB per run, runs, one-way delay in µs).
 */
public final class BulkTransferThroughput {

    private BulkTransferThroughput() {}

    /** Runs the transfers and prints one line per run. */
    public static void main(String[] args) {
        long bytes = Long.parseLong(args.length > 0 ? args[0] : "1024") << 20;
        int runs = Integer.parseInt(args.length > 1 ? args[1] : "5");
        long delay = Durations.micros(Long.parseLong(args.length > 2 ? args[2] : "500"));
        for (int run = 0; run < runs; run++) {
            Simulation sim = new Simulation();
            RandomStreams streams = new RandomStreams(1);
            int ipA = Ip4.parse("10.0.0.1");
            int ipB = Ip4.parse("10.0.0.2");
            TcpStack[] stacks = new TcpStack[2];
            stacks[0] = new TcpStack(
                    ipA,
                    sim,
                    streams.stream("a"),
                    p -> sim.schedule(delay, () -> stacks[1].receive(p)),
                    TcpConfig.linux());
            stacks[1] = new TcpStack(
                    ipB,
                    sim,
                    streams.stream("b"),
                    p -> sim.schedule(delay, () -> stacks[0].receive(p)),
                    TcpConfig.linux());
            stacks[1].listen(80, s -> new SocketHandler() {});
            stacks[0].connect(ipB, 80, new SocketHandler() {
                @Override
                public void onEstablished(TcpSocket s) {
                    s.write(bytes);
                }
            });
            long start = System.nanoTime();
            sim.run();
            long wall = System.nanoTime() - start;
            long segments = stacks[0].counters().get(TcpCounter.SEGMENTS_SENT)
                    + stacks[1].counters().get(TcpCounter.SEGMENTS_SENT);
            System.out.printf(
                    "%d MiB delivered=%d: %d segments in %.3f s = %.2f M segments/s (%d events)%n",
                    bytes >> 20,
                    stacks[1].counters().get(TcpCounter.BYTES_DELIVERED),
                    segments,
                    wall / 1e9,
                    segments * 1e3 / wall,
                    sim.eventsProcessed());
        }
    }
}
