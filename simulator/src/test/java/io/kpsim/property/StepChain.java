package io.kpsim.property;

import java.util.ArrayList;
import java.util.List;

/**
 * One chain: the config it runs under and its steps, in order. Drawn from a chain seed by {@link
 * #draw}; the shrinker derives simpler chains from it.
 *
 * @param <C> the config type
 * @param <S> the step type
 */
record StepChain<C, S>(C config, List<S> steps) {

    StepChain {
        steps = List.copyOf(steps);
    }

    /** The chain of {@code length} steps that {@code seed} stands for. */
    static <C, S> StepChain<C, S> draw(StatefulSpec<C, S, ?> spec, long seed, int length) {
        Source random = new Source(seed);
        C config = spec.config(random);
        List<S> steps = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            steps.add(spec.step(random, config));
        }
        return new StepChain<>(config, steps);
    }

    int length() {
        return steps.size();
    }

    StepChain<C, S> withConfig(C simpler) {
        return new StepChain<>(simpler, steps);
    }

    /** This chain with steps {@code [from, to)} replaced by {@code replacement}. */
    StepChain<C, S> splice(int from, int to, List<S> replacement) {
        List<S> s = new ArrayList<>(steps.size() - (to - from) + replacement.size());
        s.addAll(steps.subList(0, from));
        s.addAll(replacement);
        s.addAll(steps.subList(to, steps.size()));
        return new StepChain<>(config, s);
    }

    /** The first {@code count} steps (the ones up to and including a failing step). */
    StepChain<C, S> prefix(int count) {
        return count >= steps.size() ? this : new StepChain<>(config, steps.subList(0, count));
    }

    /**
     * The chain as a report shows it: the config, then one numbered step a line, the step at
     * {@code marked} (0-based; -1 for none) marked with an arrow.
     */
    String describe(int marked) {
        StringBuilder b = new StringBuilder();
        b.append("  config: ").append(config).append('\n');
        int width = Integer.toString(steps.size()).length();
        for (int i = 0; i < steps.size(); i++) {
            b.append(i == marked ? "  -> " : "     ");
            String number = Integer.toString(i + 1);
            b.append(" ".repeat(width - number.length())).append(number).append(". ");
            b.append(steps.get(i)).append('\n');
        }
        return b.toString();
    }
}
