package io.kpsim.conntrack.profile;

import java.util.List;
import java.util.Objects;

/**
 * What kpsim knows of one {@link Switch}: the upstream commit, where it arrived, the kernel code it
 * changes and how that was established. The facts live in the catalogue {@code switches.txt} next to
 * this class rather than in the enum, so that the enum stays a readable list of names and the
 * citations stay in one place that {@link SwitchCatalogue} checks as a whole.
 *
 * @param area which part of conntrack or NAT the commit changes
 * @param commit the upstream commit id (12 hex digits), or {@code null} when not identified
 * @param subject the commit's subject line, or {@code null} when not identified
 * @param mainlineText the first mainline release as established: {@code 6.1} or a bracket {@code 4.15-4.19}
 * @param mainline the first mainline release as modelled (the later end of a bracket)
 * @param stable the stable lines that took the change, oldest first
 * @param code the kernel file and function it changes
 * @param title one line saying what the kernel does with the switch on
 * @param note how the facts were established (trees read, review mails), one paragraph
 */
public record SwitchFacts(
        Switch.Area area,
        String commit,
        String subject,
        String mainlineText,
        Release mainline,
        List<Backport> stable,
        String code,
        String title,
        String note) {

    /** Checks that every required fact is there. */
    public SwitchFacts {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(mainlineText, "mainlineText");
        Objects.requireNonNull(mainline, "mainline");
        stable = List.copyOf(stable);
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(note, "note");
    }
}
