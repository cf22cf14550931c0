package io.kpsim.cluster;

import io.kpsim.engine.Simulation;
import io.kpsim.tcp.CloseReason;
import io.kpsim.tcp.TcpSocket;

/**
 * Runs a {@link DownloadClientSpec}: {@code parallel} curl loops. Each download is one connection:
 * connect, send the request, read the whole file, close; then the loop starts the next one. A
 * download cut short by a reset or a timeout is counted as failed and the loop goes on. Each
 * connection's application reads at the spec's read rate, so a slow reader's window shrinks.
 */
final class DownloadClient implements Workload {

    private final DownloadClientSpec spec;
    private final Pod pod;
    private final ConnectionLedger ledger;
    private final Simulation simulation;
    private int started;

    DownloadClient(DownloadClientSpec spec, Pod pod, ConnectionLedger ledger, Simulation simulation) {
        this.spec = spec;
        this.pod = pod;
        this.ledger = ledger;
        this.simulation = simulation;
    }

    @Override
    public void start() {
        for (int i = 0; i < spec.parallel(); i++) {
            simulation.scheduleAt(spec.startNanos(), this::next);
        }
    }

    private void next() {
        if (spec.downloads() > 0 && started >= spec.downloads()) {
            return;
        }
        started++;
        Download d = new Download();
        TcpSocket socket = pod.stack().connect(spec.serverIp(), spec.serverPort(), d);
        if (spec.readBytesPerSecond() != DownloadClientSpec.READ_INSTANTLY) {
            socket.setReadRate(spec.readBytesPerSecond());
        }
        ledger.clientOpened(socket, d);
    }

    /** One download on one connection. */
    private final class Download extends ClientSession {
        private long received;
        private boolean complete;

        @Override
        public void onEstablished(TcpSocket socket) {
            ledger.clientEstablished();
            pod.opened(socket, this);
            socket.write(DownloadClientSpec.REQUEST_BYTES);
        }

        @Override
        public void onData(TcpSocket socket, int bytes) {
            received += bytes;
            if (!complete && received >= spec.fileBytes()) {
                complete = true;
                ledger.downloadsCompleted++;
                socket.close();
                simulation.schedule(0, DownloadClient.this::next);
            }
        }

        @Override
        public void onPeerClosed(TcpSocket socket) {
            socket.close();
        }

        @Override
        public void onClosed(TcpSocket socket, CloseReason reason) {
            pod.closed(this);
            ledger.clientClosed(socket, this, reason);
            if (!complete) {
                complete = true;
                ledger.downloadsFailed++;
                simulation.schedule(0, DownloadClient.this::next);
            }
        }
    }
}
