package io.kpsim.conntrack.profile;

/**
 * A stable release line that took an upstream change, and from which sublevel. Where only a
 * bracket is known (the change is absent in one tree read and present in a later one, and no
 * review mail names the release), {@code lastWithout} and {@code firstWith} are the two trees read
 * and kpsim models the change from {@code firstWith}; an exact backport has
 * {@code lastWithout == firstWith - 1}.
 *
 * @param line the stable line, sublevel 0 ({@code 4.19})
 * @param lastWithout the last sublevel known not to have the change
 * @param firstWith the first sublevel known to have it (the one kpsim models it from)
 */
public record Backport(Release line, int lastWithout, int firstWith) {

    /** Consistency checks. */
    public Backport {
        if (line.sublevel() != 0 || lastWithout < 0 || firstWith <= lastWithout) {
            throw new IllegalArgumentException("backport " + line + " (" + lastWithout + ", " + firstWith + "]");
        }
    }

    /**
     * Parses {@code 4.19.67} (exact) or {@code 4.19.14..40} (somewhere from 14 to 40: known absent
     * at 13, present at 40).
     */
    static Backport parse(String text) {
        int range = text.indexOf("..");
        if (range < 0) {
            Release r = Release.parse(text);
            return new Backport(Release.of(r.major(), r.minor(), 0), r.sublevel() - 1, r.sublevel());
        }
        Release from = Release.parse(text.substring(0, range));
        int to = Integer.parseInt(text.substring(range + 2));
        return new Backport(Release.of(from.major(), from.minor(), 0), from.sublevel() - 1, to);
    }

    /** Whether the release of the sublevel is known exactly. */
    public boolean exact() {
        return lastWithout == firstWith - 1;
    }

    /** The release kpsim models the change from ({@code 4.19.40}). */
    public Release modelledFrom() {
        return Release.of(line.major(), line.minor(), firstWith);
    }

    /** {@code 4.19.67}, or {@code 4.19.14..40} for a bracket. */
    @Override
    public String toString() {
        return exact() ? modelledFrom().toString() : line.line() + "." + (lastWithout + 1) + ".." + firstWith;
    }
}
