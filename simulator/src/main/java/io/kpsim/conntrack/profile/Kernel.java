package io.kpsim.conntrack.profile;

import java.util.EnumSet;
import java.util.Set;

/**
 * A kernel whose conntrack and NAT kpsim reproduces: a release and the {@link Switch}es it has.
 * The nine {@link KernelProfile}s are the kernels users pick; {@link #at} models any other release
 * of a profile's line from the catalogue's stable backports (for the boundaries inside a line,
 * e.g. 4.19.227 against 4.19.228), with the precision of what was read (a bracket is modelled from
 * its later end).
 *
 * <p>The model asks {@link #has} once, when it is built, and keeps the answers in final fields: the
 * packet path never consults a kernel.
 */
public sealed interface Kernel permits KernelProfile, ExactKernel {

    /** The release this kernel is. */
    Release release();

    /** The profile of its line (the nearest lower one for a line kpsim has no profile of). */
    KernelProfile profile();

    /** Whether the kernel has the change {@code s}. */
    boolean has(Switch s);

    /** How users name it: {@code 6.18} for a profile, the release for any other ({@code 4.19.227}). */
    String label();

    /** The switches it has. */
    default Set<Switch> switches() {
        EnumSet<Switch> s = EnumSet.noneOf(Switch.class);
        for (Switch sw : Switch.values()) {
            if (has(sw)) {
                s.add(sw);
            }
        }
        return s;
    }

    /**
     * Release {@code r} as the catalogue models it: every switch whose mainline release or stable
     * backport {@code r} has. The profile's own pinned release gives the profile itself.
     *
     * @throws IllegalArgumentException when {@code r} is older than the oldest profile (4.14)
     */
    static Kernel at(Release r) {
        KernelProfile profile = KernelProfile.forLine(r);
        if (profile.release().equals(r)) {
            return profile;
        }
        EnumSet<Switch> s = EnumSet.noneOf(Switch.class);
        for (Switch sw : Switch.values()) {
            if (sw.presentIn(r)) {
                s.add(sw);
            }
        }
        return new ExactKernel(r, profile, s);
    }
}
