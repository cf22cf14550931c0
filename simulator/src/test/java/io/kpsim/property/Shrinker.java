package io.kpsim.property;

import java.util.List;

/**
 * Makes a failing chain as small as it can while it still fails the same way ({@link
 * Outcome#failsLike}), so that a report shows the few steps that matter.
 *
 * <p>Passes, repeated until none of them changes the chain or the budget of runs is spent:
 *
 * <ol>
 *   <li>cut the steps after the failing one (they never ran);
 *   <li>delete blocks of steps: the whole chain, then halves, quarters, ... single steps, each
 *       block position in turn (the idea of Zeller's delta debugging, without its
 *       complement tests, which a chain whose steps build on each other rarely passes);
 *   <li>replace each step by the spec's simpler versions ({@link StatefulSpec#simplerSteps});
 *   <li>replace the config by the spec's simpler ones ({@link StatefulSpec#simplerConfigs}).
 * </ol>
 *
 * Every accepted candidate is strictly smaller (fewer steps) or simpler (by the spec's contract),
 * so shrinking ends; the budget bounds the work on a long chain. The budget counts runs, not time,
 * so a replayed seed shrinks to the same chain on any machine.
 *
 * @param <C> the config type
 * @param <S> the step type
 */
final class Shrinker<C, S> {

    private final StatefulSpec<C, S, ?> spec;
    private final Outcome first;
    private final int budget;

    private StepChain<C, S> chain;
    private Outcome outcome;
    private int runs;

    private Shrinker(StatefulSpec<C, S, ?> spec, StepChain<C, S> chain, Outcome failure, int budget) {
        this.spec = spec;
        this.first = failure;
        this.budget = budget;
        this.chain = chain.prefix(failure.stepsRun());
        this.outcome = failure;
    }

    /** The shrunk chain, the way it fails, and the runs it took. */
    record Result<C, S>(StepChain<C, S> chain, Outcome outcome, int runs, boolean budgetSpent) {}

    /** Shrinks {@code chain}, which failed as {@code failure} says, in at most {@code budget} runs. */
    static <C, S> Result<C, S> shrink(StatefulSpec<C, S, ?> spec, StepChain<C, S> chain, Outcome failure, int budget) {
        Shrinker<C, S> s = new Shrinker<>(spec, chain, failure, budget);
        boolean changed = true;
        while (changed && s.runs < budget) {
            changed = s.deleteBlocks();
            changed |= s.simplifySteps();
            changed |= s.simplifyConfig();
        }
        return new Result<>(s.chain, s.outcome, s.runs, s.runs >= budget);
    }

    private boolean deleteBlocks() {
        boolean changed = false;
        for (int size = chain.length(); size >= 1; size /= 2) {
            int from = 0;
            while (from < chain.length() && runs < budget) {
                int to = Math.min(from + size, chain.length());
                if (accept(chain.splice(from, to, List.of()))) {
                    changed = true; // the next block has moved to `from`
                } else {
                    from += size;
                }
            }
        }
        return changed;
    }

    private boolean simplifySteps() {
        boolean changed = false;
        for (int i = 0; i < chain.length() && runs < budget; i++) {
            boolean again = true;
            while (again && i < chain.length() && runs < budget) {
                again = false;
                for (List<S> replacement : spec.simplerSteps(chain.steps().get(i))) {
                    if (runs >= budget) {
                        break;
                    }
                    if (accept(chain.splice(i, i + 1, replacement))) {
                        changed = true;
                        again = true; // simplify what now stands at i further
                        break;
                    }
                }
            }
        }
        return changed;
    }

    private boolean simplifyConfig() {
        boolean changed = false;
        boolean again = true;
        while (again && runs < budget) {
            again = false;
            for (C config : spec.simplerConfigs(chain.config())) {
                if (runs >= budget) {
                    break;
                }
                if (accept(chain.withConfig(config))) {
                    changed = true;
                    again = true;
                    break;
                }
            }
        }
        return changed;
    }

    /** Runs {@code candidate}; keeps it (cut after its failing step) if it fails like the first. */
    private boolean accept(StepChain<C, S> candidate) {
        runs++;
        Outcome o = Outcome.run(spec, candidate);
        if (!o.failsLike(first)) {
            return false;
        }
        chain = candidate.prefix(o.stepsRun());
        outcome = o;
        return true;
    }
}
