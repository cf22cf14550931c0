package io.kpsim.archfixture.netfilter.iptables;

import io.kpsim.archfixture.netfilter.Walk;
import io.kpsim.archfixture.packet.Frame;

/** Conforming: a sub-package may use its parent and what its parent may use. */
public final class Matcher {
    public Walk walk;
    public Frame frame;
}
