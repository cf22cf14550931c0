package io.kpsim.cluster;

import io.kpsim.tcp.CloseReason;
import io.kpsim.tcp.TcpSocket;

/** Runs a {@link FileServerSpec}: nginx serving one file. */
final class FileServer implements Workload {

    private final FileServerSpec spec;
    private final Pod pod;
    private final ConnectionLedger ledger;

    FileServer(FileServerSpec spec, Pod pod, ConnectionLedger ledger) {
        this.spec = spec;
        this.pod = pod;
        this.ledger = ledger;
    }

    @Override
    public void start() {
        pod.stack().listen(spec.port(), socket -> new Session(ledger.serverAccepted(socket, pod)));
    }

    /** One accepted connection: requests in, files out. */
    private final class Session extends OpenSession {
        /** The client's end, or null for a client no workload opened ({@link ConnectionLedger#serverAccepted}). */
        private final ClientSession connection;

        private long requestBytes;

        Session(ClientSession connection) {
            this.connection = connection;
        }

        @Override
        public void onEstablished(TcpSocket socket) {
            pod.opened(socket, this);
        }

        @Override
        public void onData(TcpSocket socket, int bytes) {
            requestBytes += bytes;
            while (requestBytes >= DownloadClientSpec.REQUEST_BYTES
                    && socket.state().acceptsWrites()) {
                requestBytes -= DownloadClientSpec.REQUEST_BYTES;
                socket.write(spec.fileBytes());
                if (!spec.keepAlive()) {
                    socket.close();
                }
            }
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
