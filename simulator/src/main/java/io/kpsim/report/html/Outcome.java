package io.kpsim.report.html;

/** How a connection ended, as its packets and sockets showed it. */
public enum Outcome {
    /** Both sides sent a FIN and no RST was accepted: closed in order. */
    CLOSED,
    /** A socket of the connection accepted a RST. */
    RESET,
    /** The handshake completed but the run ended before the connection did. */
    OPEN,
    /** The client's SYN was never answered by a SYN-ACK it received. */
    NOT_ESTABLISHED
}
