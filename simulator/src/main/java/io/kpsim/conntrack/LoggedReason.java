package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.Kernel;

/**
 * The line conntrack logged about the packet it handled last, kept as a {@link CtReason} and its
 * int arguments until someone asks for the words ({@link #words()}), as the kernel's
 * {@code nf_l4proto_log_invalid()} would print them. One per tracker, written by whichever part
 * refuses or ignores the packet and cleared when the next packet starts, so the packet path
 * allocates nothing to say why; a reader that must keep the line past the next packet copies it
 * ({@link #copyFrom}).
 *
 * <p>A check the kernel does not log ({@code pr_debug()}, or the 4.19.0..4.19.43 bug that logged
 * nothing, {@link CtReason#logged}) keeps its {@link #code()} but has no {@link #words()}: the
 * packet is refused silently, as in the kernel's log.
 */
public final class LoggedReason {

    /** Appended by {@link #described} to a check the kernel does not log. */
    public static final String NOT_LOGGED = " (not logged by this kernel)";

    private Kernel kernel;
    private boolean[] logs;
    private CtReason code;
    private boolean logged;
    private int a;
    private int b;
    private int c;

    /** An empty line (nothing logged), to {@link #copyFrom} a tracker's. */
    public LoggedReason() {}

    /** The line of a tracker modelling {@code kernel}. */
    LoggedReason(Kernel kernel) {
        this.kernel = kernel;
        this.logs = new boolean[CtReason.values().length];
        for (CtReason r : CtReason.values()) {
            logs[r.ordinal()] = r.logged(kernel);
        }
    }

    /**
     * Which check refused or ignored the packet, logged or not; {@code null} when none did
     * (accepted, or refused by a check without a code, such as a lookup that found nothing).
     */
    public CtReason code() {
        return code;
    }

    /**
     * The kernel's words, or {@code null} when nothing was logged. Allocates: call it off the
     * packet path.
     */
    public String words() {
        return code == null || !logged ? null : code.words(kernel, a, b, c);
    }

    /**
     * What a person reading a trace is told: the kernel's words when it logged them, else the
     * words a kernel that logs the check would use, marked {@code (not logged by this kernel)}
     * ({@code pr_debug()} before 6.12 for {@code "invalid new"}, nothing at all on 4.19.0..4.19.43);
     * {@code null} when no check refused the packet. Allocates.
     */
    public String described() {
        if (code == null) {
            return null;
        }
        return logged ? words() : code.words(kernel, a, b, c) + NOT_LOGGED;
    }

    /** The kernel whose words these are; {@code null} for a line never written or copied into. */
    public Kernel kernel() {
        return kernel;
    }

    /** Makes this line a copy of {@code other}. */
    public void copyFrom(LoggedReason other) {
        kernel = other.kernel;
        logs = other.logs;
        code = other.code;
        logged = other.logged;
        a = other.a;
        b = other.b;
        c = other.c;
    }

    /** Forgets the line. */
    public void clear() {
        code = null;
    }

    void log(CtReason reason) {
        log(reason, 0, 0, 0);
    }

    void log(CtReason reason, int first) {
        log(reason, first, 0, 0);
    }

    void log(CtReason reason, int first, int second, int third) {
        code = reason;
        logged = logs[reason.ordinal()];
        a = first;
        b = second;
        c = third;
    }

    @Override
    public String toString() {
        return code == null || !logged ? "(nothing logged)" : words();
    }
}
