package io.kpsim.conntrack;

/**
 * The line conntrack logged about the packet it handled last, kept as a {@link CtReason} and its
 * int arguments until someone asks for the words ({@link #words()}), as the kernel's
 * {@code nf_l4proto_log_invalid()} would print them. One per tracker, written by whichever part
 * refuses or ignores the packet and cleared when the next packet starts, so the packet path
 * allocates nothing to say why; a reader that must keep the line past the next packet copies it
 * ({@link #copyFrom}).
 */
public final class LoggedReason {

    private CtReason code;
    private int a;
    private int b;
    private int c;

    /** An empty line (nothing logged). */
    public LoggedReason() {}

    /** The code, or {@code null} when nothing was logged (accepted, or refused silently as the kernel does). */
    public CtReason code() {
        return code;
    }

    /** The kernel's words, or {@code null} when nothing was logged. Allocates: call it off the packet path. */
    public String words() {
        return code == null ? null : code.words(a, b, c);
    }

    /** Makes this line a copy of {@code other}. */
    public void copyFrom(LoggedReason other) {
        code = other.code;
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
        a = first;
        b = second;
        c = third;
    }

    @Override
    public String toString() {
        return code == null ? "(nothing logged)" : words();
    }
}
