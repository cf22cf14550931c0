package io.kpsim.archfixture.cli;

import io.kpsim.archfixture.pcap.Handle;
import io.kpsim.archfixture.report.html.Page;

/** Conforming: the top layer may use everything. */
public final class Command {
    public Page page;
    public Handle handle;
}
