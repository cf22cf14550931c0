package io.kpsim.archfixture.pcap;

import com.sun.jna.Pointer;
import io.kpsim.archfixture.packet.Frame;

/** Conforming: pcap owns native handles. */
public final class Handle {
    public Pointer pcap;
    public Frame frame;
}
