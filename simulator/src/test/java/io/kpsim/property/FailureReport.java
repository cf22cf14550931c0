package io.kpsim.property;

/**
 * The message a failed property ends with: which chain failed, the shrunk chain with its failing
 * step marked, what that step threw and where, and the one command that replays it.
 *
 * <p>The error it returns has the shrunk chain's exception as its cause (its stack trace is the
 * one to read) and the unshrunk failure as a suppressed exception.
 */
final class FailureReport {

    private FailureReport() {}

    /**
     * @param name the property
     * @param where which chain of the run failed, e.g. "chain 37 of 100" or "the replayed chain"
     * @param seed the failed chain's seed
     * @param original the chain as drawn
     * @param first how it failed
     * @param shrunk the shrinker's result
     * @param replay the command that runs one seed's chain, the seed option left off
     */
    static AssertionError of(
            String name,
            String where,
            long seed,
            StepChain<?, ?> original,
            Outcome first,
            Shrinker.Result<?, ?> shrunk,
            String replay) {
        String seedText = PropertySettings.formatSeed(seed);
        Outcome last = shrunk.outcome();
        StringBuilder b = new StringBuilder();
        b.append(name)
                .append(": failed on ")
                .append(where)
                .append(", seed ")
                .append(seedText)
                .append('\n');
        b.append("  drawn with ")
                .append(steps(original.length()))
                .append(", failed at ")
                .append(at(first));
        b.append("; shrunk to ").append(steps(shrunk.chain().length()));
        b.append(" in ").append(shrunk.runs()).append(" runs");
        if (shrunk.budgetSpent()) {
            b.append(" (the budget ran out: a shorter chain may fail too)");
        }
        b.append('\n');
        b.append(shrunk.chain().describe(last.failedStep()));
        b.append("  ").append(failure(last)).append('\n');
        if (first.error() != last.error()) {
            b.append("  before shrinking: ").append(failure(first)).append('\n');
        }
        b.append("  replay: ")
                .append(replay)
                .append(" -D")
                .append(PropertySettings.SEED)
                .append('=')
                .append(seedText);
        AssertionError e = new AssertionError(b.toString(), last.error());
        if (first.error() != last.error()) {
            e.addSuppressed(first.error());
        }
        return e;
    }

    private static String at(Outcome o) {
        return o.failedStep() < 0 ? "the start" : "step " + (o.failedStep() + 1);
    }

    private static String failure(Outcome o) {
        String text = at(o) + " threw " + o.error();
        return o.origin() == null ? text : text + "\n       at " + o.origin();
    }

    private static String steps(int n) {
        return n == 1 ? "1 step" : n + " steps";
    }
}
