package io.kpsim.property;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * The knobs a user turns from the command line (Maven passes {@code -D} options on to the test
 * JVM as system properties):
 *
 * <ul>
 *   <li>{@value #TRIES}: how many chains to run (default: the test's own number, chosen to take a
 *       few seconds), e.g. {@code -Dkpsim.property.tries=20000} for a long search;
 *   <li>{@value #SEED}: run only the chain this seed stands for, as a failure report prints it
 *       (e.g. {@code -Dkpsim.property.seed=0x5deece66d}): the same chain fails and shrinks the same
 *       way again, on the same code;
 *   <li>{@value #RUN_SEED}: where a run's chain seeds come from (default: a fixed seed, so the
 *       suite checks the same chains every time); another value checks other chains.
 * </ul>
 *
 * A blank value counts as unset. A value that is not a number fails the test, naming the option.
 *
 * @param tries the number of chains, if given
 * @param seed the one chain to replay, if given
 * @param runSeed the seed of the run's chain seeds, if given
 */
public record PropertySettings(OptionalInt tries, OptionalLong seed, OptionalLong runSeed) {

    public static final String TRIES = "kpsim.property.tries";
    public static final String SEED = "kpsim.property.seed";
    public static final String RUN_SEED = "kpsim.property.runSeed";

    public PropertySettings {
        if (tries.isPresent() && tries.getAsInt() < 1) {
            throw new IllegalArgumentException("-D" + TRIES + "=" + tries.getAsInt() + ": at least 1 chain");
        }
        if (seed.isPresent() && (tries.isPresent() || runSeed.isPresent())) {
            throw new IllegalArgumentException("-D" + SEED + " replays one chain; drop -D"
                    + (tries.isPresent() ? TRIES : RUN_SEED) + ", which picks the chains of a run");
        }
    }

    /** No option given: the test's defaults. */
    public static PropertySettings defaults() {
        return new PropertySettings(OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty());
    }

    /** The options as the JVM's system properties give them. */
    public static PropertySettings fromSystemProperties() {
        return parse(System::getProperty);
    }

    /** The options as {@code lookup} (a property name to its value, or null) gives them. */
    static PropertySettings parse(UnaryOperator<String> lookup) {
        String tries = value(lookup, TRIES);
        OptionalInt t = OptionalInt.empty();
        if (tries != null) {
            try {
                t = OptionalInt.of(Integer.parseInt(tries.replace("_", "").replace(",", "")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + TRIES + "=" + tries + ": not a number of chains");
            }
        }
        return new PropertySettings(t, seed(lookup, SEED), seed(lookup, RUN_SEED));
    }

    private static OptionalLong seed(UnaryOperator<String> lookup, String name) {
        String text = value(lookup, name);
        if (text == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(parseSeed(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "-D" + name + "=" + text + ": not a seed (0x and up to 16 hex digits, or a decimal long)");
        }
    }

    private static String value(UnaryOperator<String> lookup, String name) {
        String v = lookup.apply(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** {@code 0x} and up to 16 hex digits (how seeds are printed), or a decimal long. */
    static long parseSeed(String text) {
        if (text.startsWith("0x") || text.startsWith("0X")) {
            String hex = text.substring(2);
            if (hex.isEmpty() || hex.startsWith("+") || hex.startsWith("-")) {
                throw new NumberFormatException(text);
            }
            return Long.parseUnsignedLong(hex, 16);
        }
        return Long.parseLong(text);
    }

    /** A seed as reports print it and {@link #parseSeed} reads it back. */
    static String formatSeed(long seed) {
        return "0x" + Long.toHexString(seed);
    }
}
