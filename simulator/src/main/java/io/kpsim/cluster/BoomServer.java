package io.kpsim.cluster;

import io.kpsim.engine.Simulation;
import io.kpsim.packet.TcpFlags;
import io.kpsim.tcp.CloseReason;
import io.kpsim.tcp.TcpSocket;

/**
 * Runs a {@link BoomServerSpec}: Kubernetes' {@code regression-issue-74839} server. When a
 * connection completes its handshake (the client's first ACK, {@code ack = ISS + 1}), the raw
 * socket writes {@code PSH|ACK seq = ISS + 1 - seqOffset (100000), ack = client ISN + 1, "boom!!!"}; the real
 * socket then behaves normally and closes the connection after the configured delay.
 */
final class BoomServer implements Workload {

    private final BoomServerSpec spec;
    private final Pod pod;
    private final ConnectionLedger ledger;
    private final Simulation simulation;

    BoomServer(BoomServerSpec spec, Pod pod, ConnectionLedger ledger, Simulation simulation) {
        this.spec = spec;
        this.pod = pod;
        this.ledger = ledger;
        this.simulation = simulation;
    }

    @Override
    public void start() {
        pod.stack().listen(spec.port(), socket -> new Session(ledger.serverAccepted(socket, pod)));
    }

    /** One accepted connection. */
    private final class Session extends OpenSession {
        /** The client's end, or null for a client no workload opened ({@link ConnectionLedger#serverAccepted}). */
        private final ClientSession connection;

        Session(ClientSession connection) {
            this.connection = connection;
        }

        @Override
        public void onEstablished(TcpSocket socket) {
            pod.opened(socket, this);
            // main.go: Seq = pkt.Ack - 100000 (seqOffset; the client's ACK acknowledges our ISS + 1 = SND.NXT),
            // Ack = the SYN's seq + 1 (= RCV.NXT).
            int window = ForgedSegments.windowField(socket, pod.stack().config().windowScale());
            pod.inject(
                    ForgedSegments.from(
                            socket,
                            socket.sndNxt() - (int) spec.seqOffset(),
                            socket.rcvNxt(),
                            TcpFlags.PSH | TcpFlags.ACK,
                            window,
                            BoomServerSpec.PAYLOAD_BYTES),
                    "boom packet injected");
            simulation.schedule(spec.closeAfterNanos(), socket::close);
        }

        @Override
        public void onPeerClosed(TcpSocket socket) {
            socket.close();
        }

        @Override
        public void onClosed(TcpSocket socket, CloseReason reason) {
            pod.closed(this);
            ledger.serverClosed(connection, reason);
        }
    }
}
