package io.kpsim.archfixture.netfilter.iptables;

import io.kpsim.archfixture.tcp.Socket;

/** Violation: a sub-package of netfilter reaching endpoint TCP, which netfilter may not use. */
public final class SocketMatch {
    public Socket socket;
}
