package io.kpsim.netfilter;

/**
 * What reading a ruleset does with a match module kpsim does not evaluate: refuse it (the
 * default: a one-line error naming the line and the module) or, with {@code --unknown-match=ignore},
 * keep it as an {@link UnknownMatch} that matches every packet and is reported.
 */
public enum UnknownModules {
    /** Refuse the rule. */
    REFUSE,
    /** Keep it, treating the module as always matching. */
    IGNORE
}
