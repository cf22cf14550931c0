package io.kpsim.conntrack.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user's kernel text ({@code --kernel}, {@code spec.kernel}, {@code kpsim kernels}) means:
 * a profile label ({@code 5.15}), a {@code uname -r} string ({@code 5.15.0-91-generic},
 * {@code 6.1.0-27-amd64}, {@code 4.19.0-26-amd64}, {@code 5.10.215-203.850.amzn2.x86_64},
 * {@code 6.1.112}), Debian's {@code uname -v} ({@code Debian 6.1.85-1}) or Ubuntu's
 * {@code /proc/version_signature} ({@code Ubuntu 5.15.0-91.101-generic 5.15.131}), and the profile
 * kpsim models it with.
 *
 * <p>The line ({@code major.minor}) picks the profile, the nearest older one for a line without a
 * profile. Ubuntu's and Debian's {@code uname -r} print the sublevel as 0 and an ABI number after
 * the dash, which is not the upstream sublevel, so the release inside the line is unknown;
 * Amazon Linux, vanilla and the {@code uname -v}/version-signature texts carry the real sublevel,
 * and then the notes list the switches in which the release differs from the profile's pin.
 * Distribution kernels carry backported fixes: every note says the mapping is an approximation.
 *
 * @param input the text as given
 * @param profile the profile kpsim runs
 * @param upstream the upstream release when the text tells it, else {@code null}
 * @param summary one line saying what the text is and which profile models it; empty for a label
 * @param details the switches in which the kernel may differ from the profile, one per line
 */
public record KernelChoice(
        String input, KernelProfile profile, Release upstream, String summary, List<String> details) {

    private static final Pattern UNAME = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})(?:\\.(\\d{1,4}))?(.*)");
    private static final Pattern UBUNTU = Pattern.compile(
            "-\\d+-(generic|generic-[\\w-]+|lowlatency|aws|azure|azure-[\\w-]+|gcp|gke|gkeop|kvm|oracle|ibm|raspi|nvidia)");
    private static final Pattern DEBIAN =
            Pattern.compile("-\\d+-(amd64|arm64|cloud-amd64|cloud-arm64|rt-amd64|rt-arm64|686|686-pae|armmp)");
    private static final Pattern AMAZON = Pattern.compile("-[\\d.]+\\.amzn(2|2023)\\.\\w+");
    private static final Pattern REDHAT = Pattern.compile("-[\\d._]+\\.el\\d+.*");
    private static final Pattern DEBIAN_VERSION = Pattern.compile("(?:#\\S+ .*)?Debian (\\d+\\.\\d+\\.\\d+)-\\S+.*");
    private static final Pattern UBUNTU_SIGNATURE = Pattern.compile("Ubuntu \\S+ (\\d+\\.\\d+\\.\\d+)");

    /** Immutable copy. */
    public KernelChoice {
        details = List.copyOf(details);
    }

    /**
     * Reads a profile label or a kernel version string.
     *
     * @throws IllegalArgumentException one line naming the text and what is accepted
     */
    public static KernelChoice resolve(String text) {
        String t = text == null ? "" : text.strip();
        KernelProfile exact = KernelProfile.byLabel(t);
        if (exact != null) {
            return new KernelChoice(t, exact, null, "", List.of());
        }
        Matcher debian = DEBIAN_VERSION.matcher(t);
        if (debian.matches()) {
            return known(t, Release.parse(debian.group(1)), "Debian kernel based on Linux " + debian.group(1));
        }
        Matcher signature = UBUNTU_SIGNATURE.matcher(t);
        if (signature.matches()) {
            return known(t, Release.parse(signature.group(1)), "Ubuntu kernel based on Linux " + signature.group(1));
        }
        Matcher m = UNAME.matcher(t);
        if (!m.matches()) {
            throw unknown(t);
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        String suffix = m.group(4);
        Release line = Release.of(major, minor, 0);
        if (UBUNTU.matcher(suffix).matches()) {
            return unknownSublevel(t, line, "Ubuntu", "/proc/version_signature");
        }
        if (DEBIAN.matcher(suffix).matches()) {
            return unknownSublevel(t, line, "Debian", "uname -v");
        }
        Release r = Release.of(major, minor, m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        if (REDHAT.matcher(suffix).matches()) {
            KernelProfile p = profileFor(t, r);
            return new KernelChoice(
                    t,
                    p,
                    null,
                    t + ": Red Hat Enterprise Linux kernel, based on " + r.line() + " with many later fixes"
                            + " backported; modelled as the nearest older profile " + p.label() + " (Linux "
                            + p.release() + "), a rough approximation",
                    List.of());
        }
        if (AMAZON.matcher(suffix).matches()) {
            return known(t, r, "Amazon Linux kernel based on Linux " + r);
        }
        if (m.group(3) == null && !suffix.isEmpty()) {
            throw unknown(t);
        }
        return known(t, r, "Linux " + r);
    }

    /** Whether the text was a profile label, so there is nothing to say. */
    public boolean isLabel() {
        return summary.isEmpty();
    }

    /** A kernel whose upstream release is known. */
    private static KernelChoice known(String input, Release r, String what) {
        KernelProfile p = profileFor(input, r);
        List<String> details = new ArrayList<>();
        String summary;
        if (!p.release().sameLine(r)) {
            summary = input + ": " + what + "; " + lineNote(r, p);
        } else if (p.release().equals(r)) {
            summary = input + ": " + what + ", the release profile " + p.label() + " is pinned to";
        } else {
            Kernel k = Kernel.at(r);
            for (Switch s : Switch.values()) {
                if (k.has(s) != p.has(s)) {
                    details.add((k.has(s) ? "has, profile lacks: " : "lacks, profile has: ") + s.title() + " ("
                            + s.backportTo(r).map(Backport::toString).orElse(s.mainlineText()) + ")");
                }
            }
            summary = input + ": " + what + "; modelled as profile " + p.label() + " (Linux " + p.release() + ")"
                    + (details.isEmpty()
                            ? ", which behaves the same in every switch kpsim models"
                            : ", which differs from " + r + " in " + details.size() + " switch"
                                    + (details.size() == 1 ? "" : "es") + " (kpsim kernels " + input + " lists them)");
        }
        if (!input.matches("\\d+\\.\\d+\\.\\d+")) {
            summary += "; distribution kernels carry backported fixes, so it may behave like a later release";
        }
        return new KernelChoice(input, p, r, summary, details);
    }

    /** Ubuntu and Debian: the line is known, the release inside it is not. */
    private static KernelChoice unknownSublevel(String input, Release line, String vendor, String where) {
        KernelProfile p = profileFor(input, line);
        List<String> details = new ArrayList<>();
        String summary;
        if (p.release().sameLine(line)) {
            for (Switch s : Switch.values()) {
                s.backportTo(line)
                        .ifPresent(b ->
                                details.add("from " + b + (p.has(s) ? "" : " (after the pin)") + ": " + s.title()));
            }
            summary = input + ": " + vendor + " kernel built from Linux " + line.line() + ".y (uname -r does not show"
                    + " which release; " + where + " does); modelled as profile " + p.label() + " (Linux "
                    + p.release() + "); distribution kernels carry backported fixes, so it may behave like a later"
                    + " release (kpsim kernels " + p.label() + " lists what changes inside " + line.line() + ".y)";
        } else {
            summary = input + ": " + vendor + " kernel built from Linux " + line.line() + ".y; " + lineNote(line, p)
                    + "; distribution kernels carry backported fixes";
        }
        return new KernelChoice(input, p, null, summary, details);
    }

    private static String lineNote(Release r, KernelProfile p) {
        if (r.compareLine(KernelProfile.V6_18.release()) > 0) {
            return r.line() + " is newer than every profile: modelled as " + p.label() + " (Linux " + p.release()
                    + "); later changes are not modelled";
        }
        return r.line() + " is not a profile line: modelled as the nearest older profile " + p.label() + " (Linux "
                + p.release() + ")";
    }

    private static KernelProfile profileFor(String input, Release r) {
        try {
            return KernelProfile.forLine(r);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kernel '" + input + "' is older than the oldest profile ("
                    + KernelProfile.V4_14.label() + "); kpsim models " + KernelProfile.labels());
        }
    }

    private static IllegalArgumentException unknown(String text) {
        return new IllegalArgumentException("unknown kernel '" + text + "': expected a profile ("
                + KernelProfile.labels() + ") or a uname -r string such as 5.15.0-91-generic");
    }
}
