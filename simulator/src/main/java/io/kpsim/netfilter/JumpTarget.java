package io.kpsim.netfilter;

/**
 * {@code -j CHAIN} (push a return point, as {@code ipt_do_table()} saves {@code jumpstack}) or
 * {@code -g CHAIN} (goto: no return point, a RETURN goes back to the last jump's caller).
 *
 * @param chain the user chain
 * @param goTo true for {@code -g}
 */
public record JumpTarget(String chain, boolean goTo) implements Target {

    /** Validates the name. */
    public JumpTarget {
        if (chain == null || chain.isEmpty() || chain.length() > 28) {
            throw new IllegalArgumentException("chain name '" + chain + "' must be 1..28 characters");
        }
    }

    @Override
    public TargetKind kind() {
        return TargetKind.JUMP;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(goTo ? " -g " : " -j ").append(chain);
    }
}
