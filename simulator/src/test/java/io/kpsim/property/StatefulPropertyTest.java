package io.kpsim.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The harness tested on a small machine with planted bugs: an array-backed set of small integers
 * checked against {@link HashSet}. Its {@code remove} of an absent value of at least {@link
 * #BUG_FROM} from a non-empty set drops the last element anyway (a missing "not found" check, the
 * planted bug). Long random chains hit it, and the harness must find it, shrink the chain to the two
 * steps that matter (add 0, remove 8) on the smallest capacity, print the seed and a replay
 * command, and fail the same way again from that seed alone.
 */
class StatefulPropertyTest {

    /** Values from here on trigger {@link Bug#ABSENT_REMOVE}. */
    static final int BUG_FROM = 8;

    private static final Pattern SEED = Pattern.compile("seed (0x[0-9a-f]+)");

    /** The bugs a {@link BuggySet} can carry. */
    enum Bug {
        /** Removing an absent value of {@link #BUG_FROM} or more from a non-empty set drops an element. */
        ABSENT_REMOVE,
        /** Adding 7 to an empty set throws. */
        SEVEN_INTO_EMPTY
    }

    @Test
    void findsThePlantedBugAndShrinksItToTheTwoStepsThatMatter() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> property(new SetSpec(Bug.ABSENT_REMOVE)).check(PropertySettings.defaults()));
        String report = e.getMessage();
        assertTrue(report.startsWith("the set agrees with HashSet: failed on chain "), report);
        assertTrue(report.contains("  config: 4\n"), report);
        // exactly two steps, the second marked as the one that failed
        assertTrue(report.contains("\n     1. add 0\n  -> 2. remove 8\n"), report);
        assertFalse(report.contains("     3. "), report);
        assertTrue(report.contains("shrunk to 2 steps"), report);
        assertTrue(report.contains("step 2 threw org.opentest4j.AssertionFailedError: size"), report);
        assertTrue(report.contains("at io.kpsim.property.StatefulPropertyTest$SetSpec.checkInvariants"), report);
        Matcher seed = SEED.matcher(report);
        assertTrue(seed.find(), report);
        assertTrue(
                report.endsWith("  replay: mvn -B -pl simulator test -Dtest=StatefulPropertyTest -Dkpsim.property.seed="
                        + seed.group(1)),
                report);
        assertTrue(e.getCause() instanceof AssertionError, "the shrunk chain's failure is the cause");
    }

    @Test
    void theReportedSeedReplaysTheSameChainAndShrinksItTheSameWay() {
        AssertionError first = assertThrows(
                AssertionError.class,
                () -> property(new SetSpec(Bug.ABSENT_REMOVE)).check(PropertySettings.defaults()));
        Matcher m = SEED.matcher(first.getMessage());
        assertTrue(m.find(), first.getMessage());
        long seed = PropertySettings.parseSeed(m.group(1));

        AssertionError replayed = assertThrows(
                AssertionError.class,
                () -> property(new SetSpec(Bug.ABSENT_REMOVE))
                        .check(new PropertySettings(OptionalInt.empty(), OptionalLong.of(seed), OptionalLong.empty())));
        assertTrue(replayed.getMessage().contains("failed on the replayed chain, seed " + m.group(1)));
        assertEquals(shrunkChain(first.getMessage()), shrunkChain(replayed.getMessage()));
        // and the chain a seed stands for is the same every time
        SetSpec spec = new SetSpec(Bug.ABSENT_REMOVE);
        assertEquals(StepChain.draw(spec, seed, 40), StepChain.draw(spec, seed, 40));
    }

    @Test
    void theFixedSetPassesAndCountsWhatItsChainsReached() {
        StatefulProperty.Summary s =
                property(new SetSpec()).requireCoverage(SetSpec.FULL, 5).check(PropertySettings.defaults());
        assertEquals(200, s.chains());
        assertEquals(200L * 40, s.steps());
        int full = s.reached().get(SetSpec.FULL);
        assertTrue(full >= 20 && full < 200, "chains that filled the set: " + full);
    }

    @Test
    void aRunThatStopsReachingAPathFailsOnCoverage() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> property(new SetSpec()).requireCoverage(SetSpec.FULL, 100).check(PropertySettings.defaults()));
        assertTrue(e.getMessage().contains("coverage too low"), e.getMessage());
        assertTrue(e.getMessage().contains("\"full\" reached by "), e.getMessage());
        assertTrue(e.getMessage().contains("below the 100% required"), e.getMessage());
    }

    @Test
    void theDefaultRunIsRepeatableAndAnotherRunSeedDrawsOtherChains() {
        SetSpec a = new SetSpec();
        SetSpec b = new SetSpec();
        SetSpec other = new SetSpec();
        property(a).check(PropertySettings.defaults());
        property(b).check(PropertySettings.defaults());
        property(other).check(new PropertySettings(OptionalInt.of(200), OptionalLong.empty(), OptionalLong.of(12345)));
        assertEquals(200 * 40, a.drawn.size());
        assertEquals(a.drawn, b.drawn);
        assertEquals(a.drawn.size(), other.drawn.size());
        assertNotEquals(a.drawn, other.drawn);
    }

    @Test
    void theShrinkerStaysWithTheBugItWasGiven() {
        // Deleting "add 0" makes the chain fail on the other planted bug (7 into an empty set),
        // which is shorter but not the bug this chain found: the shrinker must not take it.
        SetSpec spec = new SetSpec(Bug.ABSENT_REMOVE, Bug.SEVEN_INTO_EMPTY);
        StepChain<Integer, Step> chain = new StepChain<>(16, List.of(new Add(0), new Add(7), new Remove(9)));
        Outcome failure = Outcome.run(spec, chain);
        assertEquals(2, failure.failedStep(), "the remove of the absent 9 fails");
        assertTrue(Outcome.run(spec, new StepChain<>(16, List.of(new Add(7), new Remove(9))))
                .error()
                .getMessage()
                .startsWith("planted"));

        Shrinker.Result<Integer, Step> r = Shrinker.shrink(spec, chain, failure, 1_000);
        assertEquals(List.of(new Add(0), new Remove(8)), r.chain().steps());
        assertEquals(4, r.chain().config());
        assertTrue(r.outcome().failsLike(failure));
        assertFalse(r.budgetSpent());
    }

    @Test
    void aSpentBudgetIsSaidInTheReport() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> property(new SetSpec(Bug.ABSENT_REMOVE)).shrinkBudget(3).check(PropertySettings.defaults()));
        assertTrue(e.getMessage().contains("in 3 runs (the budget ran out: a shorter chain may fail too)"));
    }

    @Test
    void optionsAreReadFromSystemPropertiesAndBadOnesNamed() {
        Map<String, String> given = Map.of(PropertySettings.TRIES, "20_000", PropertySettings.RUN_SEED, " 0x2a ");
        PropertySettings s = PropertySettings.parse(given::get);
        assertEquals(OptionalInt.of(20_000), s.tries());
        assertEquals(OptionalLong.of(42), s.runSeed());
        assertEquals(PropertySettings.defaults(), PropertySettings.parse(k -> " "));
        assertEquals(-1L, PropertySettings.parseSeed(PropertySettings.formatSeed(-1L)));

        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> PropertySettings.parse(Map.of(PropertySettings.TRIES, "many")::get));
        assertEquals("-Dkpsim.property.tries=many: not a number of chains", bad.getMessage());
        bad = assertThrows(
                IllegalArgumentException.class, () -> PropertySettings.parse(Map.of(PropertySettings.SEED, "0x")::get));
        assertTrue(bad.getMessage().startsWith("-Dkpsim.property.seed=0x: not a seed"), bad.getMessage());
        bad = assertThrows(
                IllegalArgumentException.class,
                () -> PropertySettings.parse(Map.of(PropertySettings.SEED, "1", PropertySettings.TRIES, "5")::get));
        assertTrue(bad.getMessage().contains("replays one chain"), bad.getMessage());
    }

    private static StatefulProperty<Integer, Step, BuggySet> property(SetSpec spec) {
        return StatefulProperty.of("the set agrees with HashSet", spec)
                .tries(200)
                .chainLength(40);
    }

    /** The report's chain lines (config and steps), without the seed and the run counts. */
    private static List<String> shrunkChain(String report) {
        List<String> lines = new ArrayList<>();
        for (String line : report.split("\n")) {
            if (line.startsWith("  config:") || line.matches(" {2}(->| {2}) +\\d+\\. .*")) {
                lines.add(line);
            }
        }
        return lines;
    }

    sealed interface Step permits Add, Remove {
        int value();
    }

    record Add(int value) implements Step {
        @Override
        public String toString() {
            return "add " + value;
        }
    }

    record Remove(int value) implements Step {
        @Override
        public String toString() {
            return "remove " + value;
        }
    }

    /** A set of values in {@code [0, 16)} with room for {@code capacity} of them, in a plain array. */
    static final class BuggySet {
        final int[] values;
        final Set<Bug> bugs;
        final Set<Integer> reference = new HashSet<>();
        int size;
        boolean wasFull;

        BuggySet(int capacity, Set<Bug> bugs) {
            this.values = new int[capacity];
            this.bugs = bugs;
        }

        void add(int v) {
            if (bugs.contains(Bug.SEVEN_INTO_EMPTY) && v == 7 && size == 0) {
                throw new IllegalStateException("planted: 7 into an empty set");
            }
            if (indexOf(v) >= 0) {
                return;
            }
            if (size == values.length) {
                wasFull = true;
                return;
            }
            values[size++] = v;
            reference.add(v);
        }

        void remove(int v) {
            int i = indexOf(v);
            if (i < 0) {
                if (bugs.contains(Bug.ABSENT_REMOVE) && v >= BUG_FROM && size > 0) {
                    size--;
                }
                return;
            }
            values[i] = values[--size];
            reference.remove(v);
        }

        private int indexOf(int v) {
            for (int i = 0; i < size; i++) {
                if (values[i] == v) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Chains of adds and removes of values 0..15 on a set of capacity 4, 16 or 64. */
    static final class SetSpec implements StatefulSpec<Integer, Step, BuggySet> {
        static final String FULL = "full";
        private final Set<Bug> bugs;
        /** Every step drawn, in order, to compare runs. */
        final List<Step> drawn = new ArrayList<>();

        SetSpec(Bug... bugs) {
            this.bugs = bugs.length == 0 ? EnumSet.noneOf(Bug.class) : EnumSet.copyOf(List.of(bugs));
        }

        @Override
        public Integer config(Source random) {
            return random.pickInt(4, 16, 64);
        }

        @Override
        public Step step(Source random, Integer config) {
            int v = random.between(0, 15);
            Step s = random.weighted(3, 1) == 0 ? new Add(v) : new Remove(v);
            drawn.add(s);
            return s;
        }

        @Override
        public BuggySet start(Integer capacity) {
            return new BuggySet(capacity, bugs);
        }

        @Override
        public void apply(BuggySet set, Step step) {
            if (step instanceof Add) {
                set.add(step.value());
            } else {
                set.remove(step.value());
            }
        }

        @Override
        public void checkInvariants(BuggySet set) {
            assertEquals(set.reference.size(), set.size, "size");
            for (int i = 0; i < set.size; i++) {
                assertTrue(set.reference.contains(set.values[i]), "value " + set.values[i]);
            }
        }

        @Override
        public Set<String> reached(BuggySet set) {
            return set.wasFull ? Set.of(FULL) : Set.of();
        }

        @Override
        public List<Integer> simplerConfigs(Integer capacity) {
            return capacity > 4 ? List.of(4) : List.of();
        }

        @Override
        public List<List<Step>> simplerSteps(Step step) {
            int v = step.value();
            List<List<Step>> s = new ArrayList<>();
            for (int smaller : v == 0 ? new int[0] : new int[] {0, v / 2, v - 1}) {
                s.add(List.of(step instanceof Add ? new Add(smaller) : new Remove(smaller)));
            }
            return s;
        }
    }
}
