package io.kpsim.conntrack.profile;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kernels clusters ran and run, one per long-term line, each pinned to one named release of
 * its line: the latest vanilla tree of that line that was read for the switches
 * ({@code src/docs/kernels.md} lists the trees). A profile is exactly the set of {@link Switch}es
 * its pinned release has; releases of the same line before or after the pin can differ, and
 * {@code kpsim kernels 4.19} lists where.
 *
 * <p>Why these pins: 4.14.280 and 4.19.255 are the latest vanilla 4.14/4.19 trees read (Amazon
 * Linux 2 and Debian 10 ran 4.14.2xx-3xx and 4.19.2xx-3xx; the one 4.19 change found after .255 is
 * {@link Switch#TCP_SYN_RETRANS_NO_REFRESH}, in 4.19.272). 5.4.286 is a vanilla import with no
 * change in the tracked files up to 5.4.301; 5.10.265, 6.1.175 and 6.6.150 are the latest of their
 * stable histories; 5.15.167 is a clean vanilla tree (Ubuntu 22.04's line, kind's CI); 6.12.19 the
 * latest 6.12 read; 6.18.2 the release the oracle's 6.18.y kernels follow.
 */
public enum KernelProfile implements Kernel {
    /** Linux 4.14.280. */
    V4_14(4, 14, 280, "Amazon Linux 2 (4.14.y)"),
    /** Linux 4.19.255. */
    V4_19(4, 19, 255, "Debian 10 (4.19.0-N), the node kernels of the 2019 reports"),
    /** Linux 5.4.286. */
    V5_4(5, 4, 286, "Ubuntu 20.04 (5.4.0-N)"),
    /** Linux 5.10.265. */
    V5_10(5, 10, 265, "Debian 11 (5.10.0-N), Amazon Linux 2 (5.10.y)"),
    /** Linux 5.15.167. */
    V5_15(5, 15, 167, "Ubuntu 20.04 HWE and 22.04 (5.15.0-N), kind's CI"),
    /** Linux 6.1.175. */
    V6_1(6, 1, 175, "Debian 12 (6.1.0-N), Amazon Linux 2023 (6.1.y); Ubuntu 22.04 HWE 6.5 maps here"),
    /** Linux 6.6.150. */
    V6_6(6, 6, 150, "6.6.y LTS; Ubuntu 24.04 (6.8.0-N) maps here"),
    /** Linux 6.12.19. */
    V6_12(6, 12, 19, "Debian 13 (6.12.y)"),
    /** Linux 6.18.2: the kernel family of the machines the oracle runs on. */
    V6_18(6, 18, 2, "current kernels; this project's oracle machines (6.18.y)");

    private final Release release;
    private final String runBy;
    private final Set<Switch> present;

    KernelProfile(int major, int minor, int sublevel, String runBy) {
        this.release = Release.of(major, minor, sublevel);
        this.runBy = runBy;
        EnumSet<Switch> s = EnumSet.noneOf(Switch.class);
        for (Switch sw : Switch.values()) {
            if (sw.presentIn(release)) {
                s.add(sw);
            }
        }
        this.present = Collections.unmodifiableSet(s);
    }

    /** The pinned release ({@code 4.19.255}). */
    @Override
    public Release release() {
        return release;
    }

    @Override
    public KernelProfile profile() {
        return this;
    }

    @Override
    public boolean has(Switch s) {
        return present.contains(s);
    }

    @Override
    public Set<Switch> switches() {
        return present;
    }

    /** The line ({@code 4.19}), which is how users name a profile. */
    @Override
    public String label() {
        return release.line();
    }

    /** Who ran kernels of this line (distributions, node images): a hint, not a claim about versions. */
    public String runBy() {
        return runBy;
    }

    /** The kernel the oracle verifies on these machines and every command defaults to. */
    public static KernelProfile defaultProfile() {
        return V6_18;
    }

    /**
     * The profile a user's kernel text maps to: a label ({@code 5.15}) or a kernel version string
     * ({@code 5.15.0-91-generic}); {@link KernelChoice#resolve} says how it was mapped.
     *
     * @throws IllegalArgumentException one line naming the text and what is accepted
     */
    public static KernelProfile parse(String text) {
        return KernelChoice.resolve(text).profile();
    }

    /** The profile named {@code 4.19}, or {@code null}. */
    public static KernelProfile byLabel(String label) {
        for (KernelProfile p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        return null;
    }

    /** The profiles' labels, oldest first: {@code 4.14, 4.19, ..., 6.18}. */
    public static String labels() {
        return Arrays.stream(values()).map(KernelProfile::label).collect(Collectors.joining(", "));
    }

    /** Every profile, oldest first. */
    public static List<KernelProfile> all() {
        return List.of(values());
    }

    /**
     * The profile of {@code r}'s line, or of the nearest older line kpsim has a profile of.
     *
     * @throws IllegalArgumentException when {@code r} is older than 4.14
     */
    static KernelProfile forLine(Release r) {
        KernelProfile found = null;
        for (KernelProfile p : values()) {
            if (p.release.compareLine(r) <= 0) {
                found = p;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException(
                    "kernel " + r + " is older than the oldest profile (" + V4_14.label() + ")");
        }
        return found;
    }

    @Override
    public String toString() {
        return label();
    }
}
