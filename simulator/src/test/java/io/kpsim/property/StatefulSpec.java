package io.kpsim.property;

import java.util.List;
import java.util.Set;

/**
 * What a stateful property test supplies to {@link StatefulProperty}: how to draw a chain (a config
 * and a list of steps), how to run it on a fresh machine, what must hold after every step, and how
 * to make a failing chain simpler.
 *
 * <p>Steps are drawn without looking at the machine's state (independent steps): any sub-list of
 * a chain is again a chain that can run, so the shrinker may delete any step without asking. A
 * step that does not fit the state it meets (an ACK on a flow that never opened) must still be
 * applied, since that is how the code under test meets it too.
 *
 * <p>A run must depend on the config and the steps alone (no clock, no global state): the shrinker
 * replays candidates and trusts that a failure it saw once happens again.
 *
 * @param <C> the config a chain runs under (settings fixed for its whole run)
 * @param <S> a step (an immutable value whose {@code toString} is what a report shows)
 * @param <M> the machine: the code under test plus whatever the spec checks it against
 */
public interface StatefulSpec<C, S, M> {

    /** Draws the config of one chain. */
    C config(Source random);

    /** Draws one step of a chain run under {@code config}. */
    S step(Source random, C config);

    /** A fresh machine set up for {@code config}. */
    M start(C config);

    /** Applies {@code step}; throws (an assertion, or the code under test's exception) on a failure. */
    void apply(M machine, S step);

    /** Checks what must hold between steps; runs once after {@link #start} and after every step. */
    void checkInvariants(M machine);

    /**
     * The coverage labels a passing chain reached (e.g. "table full"), counted over a run so that
     * {@link StatefulProperty#requireCoverage} can fail a test that stops reaching a path.
     */
    default Set<String> reached(M machine) {
        return Set.of();
    }

    /**
     * Simpler configs to try in place of a failing chain's {@code config}, simplest first: each
     * one strictly simpler than {@code config} (nearer the defaults), so that shrinking ends.
     */
    default List<C> simplerConfigs(C config) {
        return List.of();
    }

    /**
     * Simpler replacements for {@code step}, simplest first. A replacement is a list of steps: one
     * step with simpler values, or a composite step's parts with one part left out. Each must be
     * strictly simpler than {@code step} (fewer packets, values nearer a default), so that
     * shrinking ends.
     */
    default List<List<S>> simplerSteps(S step) {
        return List.of();
    }
}
