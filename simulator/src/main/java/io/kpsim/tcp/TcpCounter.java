package io.kpsim.tcp;

/**
 * What a {@link TcpCounters} set counts, each named after the Linux SNMP/netstat counter it
 * corresponds to ({@code nstat} names in brackets).
 */
public enum TcpCounter {
    /** Segments transmitted, retransmissions included [TcpOutSegs]. */
    SEGMENTS_SENT,
    /** Segments received [TcpInSegs]. */
    SEGMENTS_RECEIVED,
    /** RSTs sent, for any reason [TcpOutRsts]. */
    RESETS_SENT,
    /** RSTs received, accepted or not. */
    RESETS_RECEIVED,
    /** RSTs that reset a connection (sequence exactly RCV.NXT, or acceptable in SYN_SENT). */
    RESETS_ACCEPTED,
    /** Challenge ACKs sent for in-window RSTs and for SYNs (RFC 5961) [TcpExtTCPChallengeACK]. */
    CHALLENGE_ACKS_SENT,
    /** Retransmission-timer expirations [TcpExtTCPTimeouts]. */
    TIMEOUTS,
    /** Fast retransmits on three duplicate ACKs [TcpExtTCPFastRetrans counts segments; here events]. */
    FAST_RETRANSMITS,
    /** Segments retransmitted for any reason [TcpRetransSegs]. */
    RETRANSMITTED_SEGMENTS,
    /** ACKs carrying a D-SACK block: the peer got something twice, often a spurious retransmission
     * [TcpExtTCPDSACKRecv]. */
    DSACKS_RECEIVED,
    /** Data segments received that held nothing new [TcpExtTCPDSACKOldSent counts the answers]. */
    DUPLICATE_SEGMENTS_RECEIVED,
    /** Data segments received beyond RCV.NXT and queued for reassembly [TcpExtTCPOFOQueue]. */
    OUT_OF_ORDER_SEGMENTS,
    /** Zero-window probes sent by the persist timer [TcpExtTCPWinProbe]. */
    ZERO_WINDOW_PROBES_SENT,
    /** ACKs sent only because the application's reads opened the window. */
    WINDOW_UPDATES_SENT,
    /** Bytes of new data sent (first transmissions only). */
    BYTES_SENT,
    /** Bytes acknowledged by the peer. */
    BYTES_ACKED,
    /** Bytes the application read from the receive buffer. */
    BYTES_DELIVERED,
    /** Connections that reached ESTABLISHED [TcpActiveOpens + TcpPassiveOpens, once established]. */
    CONNECTIONS_ESTABLISHED
}
