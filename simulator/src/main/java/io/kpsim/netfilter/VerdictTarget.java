package io.kpsim.netfilter;

/**
 * The standard targets ACCEPT, DROP and RETURN ({@code XT_STANDARD_TARGET} with
 * {@code NF_ACCEPT}, {@code NF_DROP} or {@code XT_RETURN}).
 *
 * @param verdict which one
 */
public record VerdictTarget(Verdict verdict) implements Target {

    /** The standard verdicts. */
    public enum Verdict {
        /** Stop this table; the packet goes on to the next hook entry. */
        ACCEPT,
        /** The packet is gone. */
        DROP,
        /** Back to the calling chain (or the built-in chain's policy). */
        RETURN
    }

    /** {@code -j ACCEPT}. */
    public static final VerdictTarget ACCEPT = new VerdictTarget(Verdict.ACCEPT);
    /** {@code -j DROP}. */
    public static final VerdictTarget DROP = new VerdictTarget(Verdict.DROP);
    /** {@code -j RETURN}. */
    public static final VerdictTarget RETURN = new VerdictTarget(Verdict.RETURN);

    @Override
    public TargetKind kind() {
        return TargetKind.VERDICT;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j ").append(verdict.name());
    }
}
