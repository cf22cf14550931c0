package io.kpsim.tcp;

/**
 * A listening port (RFC 9293 LISTEN state): turns SYNs into connections in SYN_RECEIVED and hands
 * each established one to its {@link AcceptHandler}. The accept queue is not bounded
 * ({@code somaxconn} is not modelled).
 */
public final class TcpListener {

    private final TcpStack stack;
    private final int port;
    private final AcceptHandler acceptHandler;
    private boolean open = true;

    TcpListener(TcpStack stack, int port, AcceptHandler acceptHandler) {
        this.stack = stack;
        this.port = port;
        this.acceptHandler = acceptHandler;
    }

    /** The listening port. */
    public int port() {
        return port;
    }

    /** Whether the listener still accepts connections. */
    public boolean isOpen() {
        return open;
    }

    /** Stops listening; established connections are unaffected, new SYNs get a RST. */
    public void close() {
        if (open) {
            open = false;
            stack.unlisten(this);
        }
    }

    AcceptHandler acceptHandler() {
        return acceptHandler;
    }
}
