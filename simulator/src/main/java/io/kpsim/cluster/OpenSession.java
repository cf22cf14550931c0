package io.kpsim.cluster;

import io.kpsim.tcp.SocketHandler;

/**
 * A workload's handler for one connection that its pod lists among its open connections: it
 * remembers where in the pod's {@link OpenSockets} the socket sits, so that closing it finds the
 * slot at once. This replaces a {@code LinkedHashSet} of sockets, whose entry cost 40 bytes per
 * socket (issue 17's memory per connection); the slot here fits into the handler's padding.
 */
abstract class OpenSession implements SocketHandler {

    /** The socket's slot in its pod's {@link OpenSockets}, or -1 while it is not listed there. */
    int openSlot = -1;
}
