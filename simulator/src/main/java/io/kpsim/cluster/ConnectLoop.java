package io.kpsim.cluster;

import io.kpsim.engine.Simulation;
import io.kpsim.tcp.CloseReason;
import io.kpsim.tcp.TcpSocket;

/** Runs a {@link ConnectLoopSpec}: {@code nc SERVER PORT &} every interval. */
final class ConnectLoop implements Workload {

    private final ConnectLoopSpec spec;
    private final Pod pod;
    private final ConnectionLedger ledger;
    private final Simulation simulation;
    private int started;

    ConnectLoop(ConnectLoopSpec spec, Pod pod, ConnectionLedger ledger, Simulation simulation) {
        this.spec = spec;
        this.pod = pod;
        this.ledger = ledger;
        this.simulation = simulation;
    }

    @Override
    public void start() {
        simulation.scheduleAt(spec.startNanos(), this::attempt);
    }

    private void attempt() {
        if (spec.count() > 0 && started >= spec.count()) {
            return;
        }
        started++;
        Session session = new Session();
        TcpSocket socket = pod.stack().connect(spec.serverIp(), spec.serverPort(), session);
        ledger.clientOpened(socket, session);
        simulation.schedule(spec.intervalNanos(), this::attempt);
    }

    /**
     * One idle connection: open until the server closes it. A connection that was established
     * and ends with both FINs is a completed one ({@code nc} exits 0); a reset or a timeout is not.
     */
    private final class Session extends ClientSession {
        @Override
        public void onEstablished(TcpSocket socket) {
            ledger.clientEstablished();
            pod.opened(socket, this);
        }

        @Override
        public void onPeerClosed(TcpSocket socket) {
            socket.close();
        }

        @Override
        public void onClosed(TcpSocket socket, CloseReason reason) {
            boolean established = openSlot >= 0; // listed from its establishment to here
            pod.closed(this);
            ledger.clientClosed(socket, this, reason);
            if (established && reason == CloseReason.FIN) {
                ledger.loopsCompleted++;
            }
        }
    }
}
