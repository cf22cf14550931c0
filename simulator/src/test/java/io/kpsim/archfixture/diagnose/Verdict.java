package io.kpsim.archfixture.diagnose;

import io.kpsim.archfixture.netfilter.Walk;

/** Violation: a new top-level package that nobody gave a place in the layers. */
public final class Verdict {
    public Walk walk;
}
