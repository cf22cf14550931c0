package io.kpsim.tcp;

/**
 * The application side of one connection: what a program would learn from {@code connect()},
 * {@code read()} and {@code poll()}. All methods default to doing nothing.
 *
 * <p>Callbacks run inside the simulation's event loop after the stack has finished processing the
 * segment that caused them, so a handler may call {@link TcpSocket#write}, {@link TcpSocket#close}
 * or {@link TcpSocket#abort} directly.
 */
public interface SocketHandler {

    /** The handshake completed (connect() returned, or accept() returned the socket). */
    default void onEstablished(TcpSocket socket) {}

    /** The application read {@code bytes} bytes from the receive buffer. */
    default void onData(TcpSocket socket, int bytes) {}

    /** Every byte written so far has been acknowledged by the peer. */
    default void onAllAcked(TcpSocket socket) {}

    /** The peer's FIN arrived and every byte before it was read (read() would return 0). */
    default void onPeerClosed(TcpSocket socket) {}

    /** The connection is over; no further callbacks follow. */
    default void onClosed(TcpSocket socket, CloseReason reason) {}
}
