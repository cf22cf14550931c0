package io.kpsim.conntrack.profile;

/**
 * A Linux release as its top-level {@code Makefile} names it: {@code VERSION.PATCHLEVEL.SUBLEVEL}
 * ({@code 4.19.255}). A mainline release is sublevel 0; a stable release of the same line is
 * {@code x.y.N}. The line ({@code 4.19}) is what a profile stands for.
 *
 * @param major {@code VERSION}
 * @param minor {@code PATCHLEVEL}
 * @param sublevel {@code SUBLEVEL} (0 for a mainline release)
 */
public record Release(int major, int minor, int sublevel) implements Comparable<Release> {

    /** Range checks. */
    public Release {
        if (major < 0 || minor < 0 || sublevel < 0) {
            throw new IllegalArgumentException("release " + major + "." + minor + "." + sublevel + " is negative");
        }
    }

    /** {@code major.minor.sublevel}. */
    public static Release of(int major, int minor, int sublevel) {
        return new Release(major, minor, sublevel);
    }

    /**
     * Parses {@code 4.19.255} or {@code 6.1} (sublevel 0), nothing more.
     *
     * @throws IllegalArgumentException one line naming the text
     */
    public static Release parse(String text) {
        // By hand, not a regular expression: the switch catalogue parses a few dozen releases while
        // every run starts (src/docs/benchmarks.md, "Start-up"). Accepts what the pattern
        // (\d{1,3})\.(\d{1,3})(\.\d{1,4})? accepts.
        int firstDot = digits(text, 0, 3);
        int secondDot = firstDot > 0 && firstDot < text.length() && text.charAt(firstDot) == '.'
                ? digits(text, firstDot + 1, 3)
                : -1;
        int end = secondDot > firstDot + 1 && secondDot < text.length() && text.charAt(secondDot) == '.'
                ? digits(text, secondDot + 1, 4)
                : secondDot;
        boolean whole = secondDot > firstDot + 1 && (end == text.length() && (end == secondDot || end > secondDot + 1));
        if (!whole) {
            throw new IllegalArgumentException("'" + text + "' is not a kernel release such as 4.19.255");
        }
        return new Release(
                Integer.parseInt(text, 0, firstDot, 10),
                Integer.parseInt(text, firstDot + 1, secondDot, 10),
                end == secondDot ? 0 : Integer.parseInt(text, secondDot + 1, end, 10));
    }

    /** The index after at most {@code max} ASCII digits from {@code from}, or -1 when there are more. */
    private static int digits(String text, int from, int max) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i - from > max ? -1 : i;
    }

    /** The line, {@code major.minor} ({@code 4.19}). */
    public String line() {
        return major + "." + minor;
    }

    /** Whether {@code other} is of the same line. */
    public boolean sameLine(Release other) {
        return major == other.major && minor == other.minor;
    }

    /** Compares lines only: negative when this line is older than {@code other}'s. */
    public int compareLine(Release other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public int compareTo(Release other) {
        int line = compareLine(other);
        return line != 0 ? line : Integer.compare(sublevel, other.sublevel);
    }

    /** {@code 4.19.255}, or {@code 6.1} for a mainline release. */
    @Override
    public String toString() {
        return sublevel == 0 ? line() : line() + "." + sublevel;
    }
}
