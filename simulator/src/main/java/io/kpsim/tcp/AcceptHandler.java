package io.kpsim.tcp;

/**
 * What a listening application does with each connection {@code accept()} returns: it picks the
 * {@link SocketHandler} for that connection. Called once the three-way handshake completes
 * (the socket leaves the accept queue in ESTABLISHED), before {@link SocketHandler#onEstablished}.
 */
@FunctionalInterface
public interface AcceptHandler {

    /** Returns the handler for the newly accepted {@code socket}; never null. */
    SocketHandler accepted(TcpSocket socket);
}
