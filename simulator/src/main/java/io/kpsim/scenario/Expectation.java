package io.kpsim.scenario;

import java.util.Objects;

/**
 * One condition of {@code spec.expect}, such as {@code resets >= 1}: the run passes (exit code 0)
 * only when every expectation holds for the measured metric.
 *
 * @param metric what is measured
 * @param comparison how it is compared
 * @param value the integer it is compared with, at least 0
 */
public record Expectation(Metric metric, Comparison comparison, long value) {

    /** Null checks only. */
    public Expectation {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(comparison, "comparison");
    }

    /** Whether the measured {@code actual} satisfies this expectation. */
    public boolean test(long actual) {
        return comparison.test(actual, value);
    }

    /** The text form, e.g. {@code resets >= 1}. */
    @Override
    public String toString() {
        return metric.yamlName() + " " + comparison.symbol() + " " + value;
    }
}
