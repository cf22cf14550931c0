package io.kpsim.tcp;

/**
 * Why a connection ended, as the application learns it (the errno a Linux application would see
 * on its next call is given for each).
 */
public enum CloseReason {
    /** Orderly close: both FINs exchanged and acknowledged (read returns 0). */
    FIN,
    /** The peer reset the connection: an accepted RST (ECONNRESET, or ECONNREFUSED in SYN_SENT). */
    RESET,
    /** Retransmissions exhausted {@code tcp_syn_retries} or {@code tcp_retries2} (ETIMEDOUT). */
    TIMEOUT,
    /** The local application aborted the connection, sending a RST (SO_LINGER 0 + close). */
    ABORTED,
    /**
     * An ICMP destination unreachable answered the SYN: {@code tcp_v4_err()} ends a connection in
     * SYN_SENT with the code's errno ({@code icmp_err_convert}: ECONNREFUSED for port unreachable,
     * which kube-proxy's REJECT for a Service without endpoints sends).
     */
    UNREACHABLE
}
