package io.kpsim.conntrack.profile;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A release other than a profile's pin, with the switches the catalogue gives it
 * ({@link Kernel#at}).
 *
 * @param release the release
 * @param profile the profile of its line
 * @param present the switches it has
 */
record ExactKernel(Release release, KernelProfile profile, Set<Switch> present) implements Kernel {

    /** Keeps an unmodifiable copy. */
    ExactKernel {
        present =
                Collections.unmodifiableSet(present.isEmpty() ? EnumSet.noneOf(Switch.class) : EnumSet.copyOf(present));
    }

    @Override
    public boolean has(Switch s) {
        return present.contains(s);
    }

    @Override
    public String label() {
        return release.toString();
    }

    @Override
    public String toString() {
        return label();
    }
}
