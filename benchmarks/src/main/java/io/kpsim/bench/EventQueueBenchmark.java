package io.kpsim.bench;

import io.kpsim.engine.Simulation;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's future-event list under the classic "hold" workload (Jones 1986; ns-3 uses it
 * for its scheduler comparisons): {@code pending} events are queued, and every event that runs
 * schedules exactly one more at a uniformly random delay, so the queue stays at a steady size
 * and each event costs one schedule (with its {@code EventHandle}) and one pop.
 *
 * <p>Each invocation runs one millisecond of virtual time; the {@code events} counter reports
 * events per second of wall time (schedule + pop pairs).
 *
 * <p>{@link #holdWithParked} adds {@code parked} events ten hours ahead, which the run never reaches,
 * as a long run of kpsim parks its closed connections' TIME_WAIT timers: the near events should
 * not pay for them (the engine keeps such events in a second heap, see {@code EventQueue}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventQueueBenchmark {

    /** Mean delay between an event and the one it schedules: 1 ms of virtual time. */
    private static final long MEAN_DELAY = 1_000_000L;

    /** A simulation with a steady population of self-rescheduling events. */
    abstract static class Population {
        Simulation simulation;
        SplittableRandom random;
        Runnable hop;

        /** Starts {@code events} self-rescheduling events, drawn from {@code seed}. */
        void start(long seed, int events) {
            simulation = new Simulation();
            random = new SplittableRandom(seed);
            hop = () -> simulation.schedule(random.nextLong(2 * MEAN_DELAY), hop);
            for (int i = 0; i < events; i++) {
                simulation.schedule(random.nextLong(2 * MEAN_DELAY), hop);
            }
        }
    }

    /** The simulation with its steady population of self-rescheduling events. */
    @State(Scope.Thread)
    public static class Hold extends Population {
        @Param({"16", "1000", "100000"})
        public int pending;

        @Setup(Level.Trial)
        public void fill() {
            start(0x686f6c64L, pending);
        }
    }

    /** A hold population of 16 events with {@code parked} events far ahead of them. */
    @State(Scope.Thread)
    public static class HoldParked extends Population {
        @Param({"1000", "100000"})
        public int parked;

        @Setup(Level.Trial)
        public void fill() {
            start(0x7061726bL, 16);
            Runnable never = () -> {
                throw new IllegalStateException("a parked event ran");
            };
            for (int i = 0; i < parked; i++) {
                simulation.schedule(36_000_000_000_000L + random.nextLong(MEAN_DELAY), never);
            }
        }
    }

    /** Events run, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Events {
        public long events;
    }

    @Benchmark
    public long hold(Hold h, Events counter) {
        return runOneMeanDelay(h, counter);
    }

    @Benchmark
    public long holdWithParked(HoldParked h, Events counter) {
        return runOneMeanDelay(h, counter);
    }

    /** Runs the population for one mean delay of virtual time; returns and counts the events run. */
    private static long runOneMeanDelay(Population p, Events counter) {
        long before = p.simulation.eventsProcessed();
        p.simulation.runFor(MEAN_DELAY);
        long ran = p.simulation.eventsProcessed() - before;
        counter.events += ran;
        return ran;
    }
}
