package io.kpsim.tcp;

import io.kpsim.packet.Packet;

/**
 * Watches a {@link TcpStack}: every segment it receives (with what it did about it), every
 * segment it sends (with why), and every state change. The trace and narration layers implement
 * this to tell the story "the client's RST and why it was sent, the server accepting it (sequence
 * exactly at RCV.NXT) and closing". All methods default to doing nothing; the current time is
 * {@code stack.simulation().now()}.
 */
public interface SocketObserver {

    /** An observer that ignores everything. */
    SocketObserver NONE = new SocketObserver() {};

    /**
     * {@code packet} arrived and the stack did {@code action}; {@code socket} is null when no
     * socket matched (listener or none). Reported before any segment sent in response.
     */
    default void segmentReceived(TcpStack stack, TcpSocket socket, Packet packet, SegmentAction action) {}

    /** {@code packet} left the stack for {@code reason}; {@code socket} is null when none owns it. */
    default void segmentSent(TcpStack stack, TcpSocket socket, Packet packet, SegmentAction reason) {}

    /** {@code socket} moved from {@code from} to {@code to}. */
    default void stateChanged(TcpSocket socket, TcpState from, TcpState to) {}
}
