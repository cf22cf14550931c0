package io.kpsim.archfixture.netfilter;

import io.kpsim.archfixture.conntrack.Entry;
import io.kpsim.archfixture.packet.Frame;

/** Conforming: netfilter uses conntrack and packets. */
public final class Walk {
    public Entry entry;
    public Frame frame;
}
