package io.kpsim.cluster;

import io.kpsim.tcp.SegmentAction;

/**
 * A trace listener of SOCKET events that reads a TCP stack's receipt of a segment (the action
 * {@code tcp_v4_rcv()} and {@code tcp_rcv_established()} / {@code tcp_rcv_state_process()} took on
 * it) only for the packets and actions it asks for. A narrated run's stacks receive every data
 * segment and ACK, and the narration reads the receipts of a few (a reset, a segment nobody had a
 * socket for, the packets whose fate it follows); when every listener of SOCKET events is one and
 * none asks for a receipt, the pod makes no event for it. The stacks' other socket events (what
 * they sent, state changes) are handed as before.
 */
public interface SegmentReceiptsListener extends TraceListener {

    /**
     * Whether this listener reads the SOCKET event of a stack's receipt of packet {@code packetId}
     * with {@code action}; asked before the event is made, at the receipt.
     */
    boolean wantsReceipt(long packetId, SegmentAction action);
}
