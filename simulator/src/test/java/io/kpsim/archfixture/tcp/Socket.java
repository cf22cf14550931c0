package io.kpsim.archfixture.tcp;

import io.kpsim.archfixture.engine.Clock;
import io.kpsim.archfixture.packet.Frame;

/** Conforming: tcp uses engine and packets. */
public final class Socket {
    public Clock clock;
    public Frame frame;
}
