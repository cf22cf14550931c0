package io.kpsim.archfixture.conntrack;

import io.kpsim.archfixture.packet.Frame;

/** Conforming: conntrack knows packets only. */
public final class Entry {
    public Frame original;
}
