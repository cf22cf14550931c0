package io.kpsim.scenario;

import java.util.Comparator;

/**
 * One thing wrong with a scenario, located the way compilers locate errors so editors and
 * terminals can jump to it: {@code FILE:LINE:COLUMN: message}.
 *
 * <p>A problem that has no position in the file (the file cannot be read, or it comes from a
 * {@code --set} override) has {@code line == 0} and renders as {@code SOURCE: message}, where
 * the source is the file name or the override as typed ({@code --set spec.foo=1}).
 *
 * @param source the file name as given by the user, or the {@code --set} override text
 * @param line 1-based line, or 0 when there is no position
 * @param column 1-based column, or 0 when there is no position
 * @param message what is wrong, usually followed by {@code (expected ...)}
 */
public record Problem(String source, int line, int column, String message) {

    /**
     * Report order: problems without a position (the command line's overrides, unreadable
     * files) first, then by line and column.
     */
    public static final Comparator<Problem> BY_POSITION =
            Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column);

    /** Whether this problem points into the file (rather than at an override or the file as a whole). */
    public boolean hasPosition() {
        return line > 0;
    }

    @Override
    public String toString() {
        return hasPosition() ? source + ":" + line + ":" + column + ": " + message : source + ": " + message;
    }
}
