package io.kpsim.archfixture.report.svg;

import io.kpsim.archfixture.netfilter.Walk;

/** Conforming: a picture of a walk. */
public final class Chart {
    public Walk walk;
}
