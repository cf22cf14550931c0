package io.kpsim.netfilter;

import java.util.function.Function;

/**
 * The reader of a match module that takes exactly one text option, required and never negated:
 * {@code -m comment --comment TEXT} ({@code libxt_comment.c}) and {@code -m nfacct --nfacct-name
 * NAME} ({@code libxt_nfacct.c}), whose {@code x6_parse} only copies the string.
 */
final class TextOptionBuilder extends ModuleBuilder {

    private final String module;
    private final String option;
    private final Function<String, Match> match;
    private String text;

    /**
     * @param module the name {@code -m} takes
     * @param option the module's one option
     * @param match builds the match from the option's text
     */
    TextOptionBuilder(String module, String option, Function<String, Match> match) {
        this.module = module;
        this.option = option;
        this.match = match;
    }

    @Override
    String name() {
        return module;
    }

    @Override
    boolean accepts(String candidate) {
        return candidate.equals(option);
    }

    @Override
    void option(String given, boolean negated, RuleWords words, RuleSoFar rule) {
        noNegate(negated, given);
        text = words.value(given);
    }

    @Override
    Match build(RuleSoFar rule) {
        if (text == null) {
            throw new IllegalArgumentException("-m " + module + " needs " + option);
        }
        return match.apply(text);
    }
}
