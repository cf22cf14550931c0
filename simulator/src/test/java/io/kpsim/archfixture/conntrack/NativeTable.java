package io.kpsim.archfixture.conntrack;

import com.sun.jna.Pointer;

/** Violation: a native handle outside pcap and oracle. */
public final class NativeTable {
    public Pointer table;
}
