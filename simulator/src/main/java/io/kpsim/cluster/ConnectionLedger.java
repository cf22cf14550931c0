package io.kpsim.cluster;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Protocol;
import io.kpsim.tcp.CloseReason;
import io.kpsim.tcp.TcpSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts connections, downloads and resets for the whole cluster, and pairs a client's socket with
 * the server socket that accepted it, so a connection reset on either side (or both) counts once.
 *
 * <p>Pairing is by the client's address and port as the server sees them (pod-to-pod traffic is
 * not source-NATed inside the cluster CIDR), or, for a masqueraded peer, as the server node's
 * conntrack entry remembers them.
 */
final class ConnectionLedger {

    private final Map<Long, ClientSession> awaitingAccept = new HashMap<>();
    long opened;
    long established;
    long resets;
    long clientResets;
    long serverResets;
    long downloadsCompleted;
    long downloadsFailed;
    long loopsCompleted;

    private static long key(int ip, int port) {
        return (Integer.toUnsignedLong(ip) << 16) | port;
    }

    /** A client workload called {@code connect()}; {@code c} handles the socket and records the connection. */
    void clientOpened(TcpSocket socket, ClientSession c) {
        opened++;
        awaitingAccept.put(key(socket.localIp(), socket.localPort()), c);
    }

    /** The client's handshake completed. */
    void clientEstablished() {
        established++;
    }

    /** A client socket ended. */
    void clientClosed(TcpSocket socket, ClientSession c, CloseReason reason) {
        awaitingAccept.remove(key(socket.localIp(), socket.localPort()), c);
        if (reason == CloseReason.RESET) {
            clientResets++;
            markReset(c);
        }
    }

    /**
     * A server in pod {@code server} accepted a connection: returns the client's record, or null for a
     * client no workload of the cluster opened (it is then the connection's only record). A
     * peer the server sees masqueraded (a NodePort's, SNATed to the node's address) is traced back
     * through the node's conntrack entry, whose reply tuple is the server's view and whose original
     * tuple still holds the client's address and port ({@code nf_nat_setup_info()} keeps both).
     */
    ClientSession serverAccepted(TcpSocket socket, Pod server) {
        ClientSession c = awaitingAccept.remove(key(socket.remoteIp(), socket.remotePort()));
        if (c == null) {
            Conntrack ct = server.node().conntrack();
            int entry = ct.find(
                    new Tuple(
                            Protocol.TCP, socket.localIp(), socket.localPort(), socket.remoteIp(), socket.remotePort()),
                    server.now());
            if (entry != Conntrack.NO_ENTRY) {
                Tuple original = ct.tuple(entry, CtDir.ORIGINAL);
                c = awaitingAccept.remove(key(original.srcIp(), original.srcPort()));
            }
        }
        return c;
    }

    /** A server socket ended; {@code c} is what {@link #serverAccepted} returned for it. */
    void serverClosed(ClientSession c, CloseReason reason) {
        if (reason == CloseReason.RESET) {
            serverResets++;
            markReset(c);
        }
    }

    /** Counts a reset of connection {@code c} (null: a server's unpaired one) unless its other end counted it. */
    private void markReset(ClientSession c) {
        if (c == null) {
            resets++;
        } else if (!c.reset) {
            c.reset = true;
            resets++;
        }
    }
}
