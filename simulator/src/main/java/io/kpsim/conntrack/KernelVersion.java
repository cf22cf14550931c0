package io.kpsim.conntrack;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The kernel whose conntrack behaviour kpsim reproduces. Behaviour changed between the
 * kernels of the 2019 reports and today (see {@code src/docs/fidelity.md}):
 *
 * <ul>
 *   <li>{@link #V4_19}: every failed window bound makes the packet INVALID; one combined
 *       message chosen by the ternary chain of the old {@code tcp_in_window()}.</li>
 *   <li>{@link #V6_18}: since 6.1 ({@code NFCT_TCP_IGNORE}), lower-bound failures and a small
 *       overshoot are ignored: the packet keeps its conntrack and is still reverse-NATed.</li>
 * </ul>
 */
public enum KernelVersion {
    /** Linux 4.19, the Kubernetes node kernel of the blog's era. */
    V4_19("4.19"),
    /** Linux 6.18, today's kernel and the one the oracle checks. */
    V6_18("6.18");

    private final String label;

    KernelVersion(String label) {
        this.label = label;
    }

    /** The version as users type it, e.g. {@code 6.18}. */
    public String label() {
        return label;
    }

    /** Whether this kernel has the 6.1 {@code NFCT_TCP_IGNORE} window handling. */
    public boolean ignoresLowerBoundFailures() {
        return this == V6_18;
    }

    /** The default kernel: the one kpsim is verified against. */
    public static KernelVersion defaultVersion() {
        return V6_18;
    }

    /**
     * Parses {@code 4.19} or {@code 6.18}.
     *
     * @throws IllegalArgumentException listing the accepted versions
     */
    public static KernelVersion parse(String text) {
        for (KernelVersion v : values()) {
            if (v.label.equals(text)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown kernel '" + text + "' (expected one of "
                + Arrays.stream(values()).map(KernelVersion::label).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return label;
    }
}
