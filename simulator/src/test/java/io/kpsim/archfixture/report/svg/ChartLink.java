package io.kpsim.archfixture.report.svg;

import io.kpsim.archfixture.report.html.Page;

/** Violation: svg uses html while html uses svg (a cycle inside one layer). */
public final class ChartLink {
    public Page page;
}
