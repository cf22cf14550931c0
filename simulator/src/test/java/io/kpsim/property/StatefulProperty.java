package io.kpsim.property;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A stateful property test: random chains of steps drawn by a {@link StatefulSpec}, each run on a
 * fresh machine with the invariants checked after every step; the first failing chain is shrunk
 * ({@link Shrinker}) and reported with its seed and the command that replays it ({@link
 * FailureReport}); a run that passes is held to the coverage the test requires ({@link Coverage}).
 *
 * <p>Seeds: a run seed (fixed unless {@value PropertySettings#RUN_SEED} is given) yields one seed
 * per chain, and a chain seed alone yields the chain ({@link StepChain#draw}), so a report's seed
 * replays exactly the chain that failed. {@link PropertySettings} lists the command-line options.
 *
 * <pre>{@code
 * StatefulProperty.of("conntrack stays consistent", new ConntrackChains())
 *         .chainLength(60)
 *         .tries(300)
 *         .requireCoverage("table full", 5)
 *         .replayWith("ConntrackStatefulPropertyTest")
 *         .check();
 * }</pre>
 *
 * <p>The same scheme as QuickCheck's state-machine testing and Hypothesis's rule-based
 * state machines, kept to what kpsim's tests need: independent steps, deletion and value shrinking,
 * no parallel runs.
 *
 * @param <C> the config type
 * @param <S> the step type
 * @param <M> the machine type
 */
public final class StatefulProperty<C, S, M> {

    /** The run seed when none is given: any fixed value keeps the suite's chains the same. */
    static final long DEFAULT_RUN_SEED = 0x6b7073696d2d3131L; // "kpsim-11"

    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String name;
    private final StatefulSpec<C, S, M> spec;
    private final Map<String, Integer> coverage = new LinkedHashMap<>();
    private int chainLength = 50;
    private int tries = 100;
    private int shrinkBudget = 5_000;
    private String replay;

    private StatefulProperty(String name, StatefulSpec<C, S, M> spec, Class<?> test) {
        this.name = name;
        this.spec = spec;
        replayWith(test.getSimpleName());
    }

    /**
     * A property called {@code name} (how its reports begin) over {@code spec}'s chains; its
     * replay command runs the calling class's tests unless {@link #replayWith} names one.
     */
    public static <C, S, M> StatefulProperty<C, S, M> of(String name, StatefulSpec<C, S, M> spec) {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .getCallerClass();
        return new StatefulProperty<>(name, spec, caller);
    }

    /** The number of steps every chain is drawn with (default 50); shrinking finds the short ones. */
    public StatefulProperty<C, S, M> chainLength(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("chainLength(" + steps + ")");
        }
        this.chainLength = steps;
        return this;
    }

    /** The number of chains a run checks unless {@value PropertySettings#TRIES} says otherwise. */
    public StatefulProperty<C, S, M> tries(int chains) {
        if (chains < 1) {
            throw new IllegalArgumentException("tries(" + chains + ")");
        }
        this.tries = chains;
        return this;
    }

    /** The runs shrinking may take (default 5,000), so a long chain cannot shrink for ever. */
    public StatefulProperty<C, S, M> shrinkBudget(int runs) {
        if (runs < 0) {
            throw new IllegalArgumentException("shrinkBudget(" + runs + ")");
        }
        this.shrinkBudget = runs;
        return this;
    }

    /** Requires that at least {@code percent} of a run's chains reach {@code label}. */
    public StatefulProperty<C, S, M> requireCoverage(String label, int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("requireCoverage(" + label + ", " + percent + ")");
        }
        coverage.put(label, percent);
        return this;
    }

    /**
     * The test a replay command runs, as surefire's {@code -Dtest} takes it: {@code
     * "ConntrackStatefulPropertyTest#tablesStayConsistent"} when the class has several properties.
     */
    public StatefulProperty<C, S, M> replayWith(String testSelector) {
        this.replay = "mvn -B -pl simulator test -Dtest=" + testSelector;
        return this;
    }

    /** Runs the property with the options of the JVM's system properties; throws on a failure. */
    public Summary check() {
        return check(PropertySettings.fromSystemProperties());
    }

    /** Runs the property with {@code settings}; throws an {@link AssertionError} on a failure. */
    public Summary check(PropertySettings settings) {
        long started = System.nanoTime();
        Coverage covered = new Coverage(coverage);
        if (settings.seed().isPresent()) {
            long seed = settings.seed().getAsLong();
            StepChain<C, S> chain = StepChain.draw(spec, seed, chainLength);
            Outcome o = Outcome.run(spec, chain);
            if (!o.passed()) {
                throw fail("the replayed chain", seed, chain, o);
            }
            covered.count(o.reached());
            System.out.println(name + ": the chain of seed " + PropertySettings.formatSeed(seed) + " passed\n"
                    + chain.describe(-1));
            return new Summary(1, chain.length(), covered.counts());
        }
        long runSeed = settings.runSeed().orElse(DEFAULT_RUN_SEED);
        int chains = settings.tries().orElse(tries);
        SplittableRandom seeds = new SplittableRandom(runSeed);
        long lastProgress = started;
        long steps = 0;
        for (int i = 1; i <= chains; i++) {
            long seed = seeds.nextLong();
            StepChain<C, S> chain = StepChain.draw(spec, seed, chainLength);
            Outcome o = Outcome.run(spec, chain);
            if (!o.passed()) {
                throw fail("chain " + i + " of " + chains, seed, chain, o);
            }
            covered.count(o.reached());
            steps += chain.length();
            if (System.nanoTime() - lastProgress >= PROGRESS_NANOS) {
                lastProgress = System.nanoTime();
                System.out.printf(Locale.ROOT, "%s: %d of %d chains passed (%s)%n", name, i, chains, seconds(started));
            }
        }
        Summary summary = new Summary(chains, steps, covered.counts());
        String line = String.format(
                Locale.ROOT,
                "%s: %d chains of %d steps passed in %s (run seed %s); reached: %s",
                name,
                chains,
                chainLength,
                seconds(started),
                PropertySettings.formatSeed(runSeed),
                covered.describe());
        if (!covered.shortfalls().isEmpty()) {
            throw new AssertionError(
                    line + "\n  coverage too low (a change stopped the chains from reaching a path):\n  "
                            + String.join("\n  ", covered.shortfalls()));
        }
        System.out.println(line);
        return summary;
    }

    private AssertionError fail(String where, long seed, StepChain<C, S> chain, Outcome first) {
        Shrinker.Result<C, S> shrunk = Shrinker.shrink(spec, chain, first, shrinkBudget);
        return FailureReport.of(name, where, seed, chain, first, shrunk, replay);
    }

    private static String seconds(long startedNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    /**
     * What a passing run checked.
     *
     * @param chains the chains run
     * @param steps their steps, all told
     * @param reached each label seen or required, to the number of chains that reached it
     */
    public record Summary(int chains, long steps, Map<String, Integer> reached) {

        public Summary {
            reached = Map.copyOf(reached);
        }
    }
}
