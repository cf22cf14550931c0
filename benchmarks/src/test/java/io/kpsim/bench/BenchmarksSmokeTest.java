package io.kpsim.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * CI smoke pass over every JMH benchmark in this module: each benchmark class runs once through
 * the JMH {@link Runner} API in this JVM (no fork), with one 100 ms warmup and one 100 ms
 * measurement iteration and the smallest value of each {@link Param}. It proves the benchmarks
 * set up, run and report a sane (finite, positive) score; it never judges speed, which on a CI
 * machine means nothing. The real numbers come from {@code benchmarks.jar} (see
 * src/docs/bench/).
 */
class BenchmarksSmokeTest {

    @BeforeAll
    static void allowConcurrentJmh() {
        // JMH refuses to start while another JMH run holds /tmp/jmh.lock, which on a shared build
        // machine would fail this test for no fault of the benchmarks. Timing is not judged here.
        System.setProperty("jmh.ignoreLock", "true");
    }

    @TestFactory
    List<DynamicTest> everyBenchmarkRunsAndReportsSaneResults() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String benchmarkClass : benchmarkClasses()) {
            tests.add(DynamicTest.dynamicTest(
                    benchmarkClass.substring(benchmarkClass.lastIndexOf('.') + 1), () -> runOnce(benchmarkClass)));
        }
        assertFalse(tests.isEmpty(), "no benchmarks found in META-INF/BenchmarkList");
        return tests;
    }

    /** The classes JMH's annotation processor registered, so a new benchmark is covered without edits. */
    private static Collection<String> benchmarkClasses() {
        TreeSet<String> classes = new TreeSet<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of())) {
            classes.add(e.getUserClassQName());
        }
        return classes;
    }

    private static void runOnce(String benchmarkClass) throws RunnerException, ClassNotFoundException {
        OptionsBuilder options = new OptionsBuilder();
        options.include("^" + Pattern.quote(benchmarkClass) + "\\.")
                .forks(0)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        for (Map.Entry<String, String> p :
                smallestParams(Class.forName(benchmarkClass)).entrySet()) {
            options.param(p.getKey(), p.getValue());
        }
        Options built = options.build();
        Collection<RunResult> results = new Runner(built).run();
        assertFalse(results.isEmpty(), benchmarkClass + " produced no results");
        for (RunResult run : results) {
            String label = run.getParams().getBenchmark();
            assertSane(label, run.getPrimaryResult());
            for (Result<?> secondary : run.getSecondaryResults().values()) {
                assertSane(label + ":" + secondary.getLabel(), secondary);
            }
        }
    }

    private static void assertSane(String label, Result<?> result) {
        double score = result.getScore();
        assertTrue(Double.isFinite(score) && score > 0, label + " reported " + score + " " + result.getScoreUnit());
    }

    /** For every {@link Param} field of the class and its nested state classes, the smallest value. */
    static Map<String, String> smallestParams(Class<?> benchmarkClass) {
        Map<String, String> smallest = new TreeMap<>();
        List<Class<?>> classes = new ArrayList<>(List.of(benchmarkClass.getDeclaredClasses()));
        classes.add(benchmarkClass);
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                Param p = f.getAnnotation(Param.class);
                if (p != null && p.value().length > 0) {
                    smallest.put(
                            f.getName(),
                            List.of(p.value()).stream().min(BY_NUMBER_THEN_TEXT).orElseThrow());
                }
            }
        }
        return smallest;
    }

    private static final Comparator<String> BY_NUMBER_THEN_TEXT = (a, b) -> {
        try {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    };
}
