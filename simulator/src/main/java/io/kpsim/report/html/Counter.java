package io.kpsim.report.html;

/**
 * One of the run's counters, with the name {@code spec.expect} and the JSON summary give it.
 *
 * @param name e.g. {@code resets}
 * @param value its value
 * @param meaning one line saying what it counts
 */
public record Counter(String name, long value, String meaning) {}
