package io.kpsim.scenario;

/** The operators of an {@link Expectation}, written as in C and most test tools. */
public enum Comparison {
    /** {@code ==} (also what a bare integer means). */
    EQ("=="),
    /** {@code !=}. */
    NE("!="),
    /** {@code >=}. */
    GE(">="),
    /** {@code <=}. */
    LE("<="),
    /** {@code >}. */
    GT(">"),
    /** {@code <}. */
    LT("<");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written, e.g. {@code >=}. */
    public String symbol() {
        return symbol;
    }

    /** Whether {@code actual OP expected} holds. */
    public boolean test(long actual, long expected) {
        switch (this) {
            case EQ:
                return actual == expected;
            case NE:
                return actual != expected;
            case GE:
                return actual >= expected;
            case LE:
                return actual <= expected;
            case GT:
                return actual > expected;
            case LT:
                return actual < expected;
            default:
                throw new IllegalStateException("unhandled comparison " + name());
        }
    }

    @Override
    public String toString() {
        return symbol;
    }
}
