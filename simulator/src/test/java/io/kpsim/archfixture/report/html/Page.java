package io.kpsim.archfixture.report.html;

import io.kpsim.archfixture.report.svg.Chart;
import io.kpsim.archfixture.tcp.Socket;

/** Conforming: one sibling sub-package uses another, one way. */
public final class Page {
    public Chart chart;
    public Socket socket;
}
