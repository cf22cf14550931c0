package io.kpsim.report;

/**
 * One expectation of a scenario, checked: {@code resets >= 1} held or not, with the measured
 * value. The scenario package evaluates; the report prints.
 *
 * @param metric the metric's YAML name, e.g. {@code resets}
 * @param condition the condition as written, e.g. {@code >= 1}
 * @param actual the value the run measured
 * @param pass whether the condition held
 */
public record ExpectationResult(String metric, String condition, long actual, boolean pass) {

    /** E.g. {@code resets >= 1}. */
    public String text() {
        return metric + " " + condition;
    }
}
