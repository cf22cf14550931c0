package io.kpsim.conntrack;

import io.kpsim.packet.TcpFlags;

/**
 * {@code tcp_conntracks[2][6][TCP_CONNTRACK_MAX]} from {@code nf_conntrack_proto_tcp.c}: the next
 * state by packet direction, flag class ({@code get_conntrack_index()}) and current state. The
 * table is identical in 4.19 and 6.18 (the kernel differences are in the code around it).
 *
 * <p>Results beyond the ten real states: {@link #IV} ({@code sIV}, {@code TCP_CONNTRACK_MAX}: the
 * packet is INVALID) and {@link #IG} ({@code sIG}, {@code TCP_CONNTRACK_IGNORE}: let through with
 * the conntrack but without any state or timeout change).
 */
final class TcpConntrackTable {

    /** {@code TCP_SYN_SET}. */
    static final int SYN_SET = 0;
    /** {@code TCP_SYNACK_SET}. */
    static final int SYNACK_SET = 1;
    /** {@code TCP_FIN_SET}. */
    static final int FIN_SET = 2;
    /** {@code TCP_ACK_SET}. */
    static final int ACK_SET = 3;
    /** {@code TCP_RST_SET}. */
    static final int RST_SET = 4;
    /** {@code TCP_NONE_SET}. */
    static final int NONE_SET = 5;

    /** {@code sIV}: invalid ({@code TCP_CONNTRACK_MAX}). */
    static final int IV = 10;
    /** {@code sIG}: ignore ({@code TCP_CONNTRACK_IGNORE}). */
    static final int IG = 11;

    private static final int NO = 0;
    private static final int SS = 1;
    private static final int SR = 2;
    private static final int ES = 3;
    private static final int FW = 4;
    private static final int CW = 5;
    private static final int LA = 6;
    private static final int TW = 7;
    private static final int CL = 8;
    private static final int S2 = 9;

    private static final byte[][][] TABLE = {
        {
            /* ORIGINAL      sNO, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2 */
            /* syn    */ row(SS, SS, IG, IG, IG, IG, IG, SS, SS, S2),
            // sNO->sSS new connection; sSS->sSS retransmitted SYN; sSR..sLA->sIG "SYNs in window
            // outside the SYN_SENT state are errors ... or we are not in sync and hold a dead
            // connection"; sTW,sCL->sSS reopened connection (RFC 1122); sS2->sS2 late retransmitted SYN.
            /* synack */ row(IV, IV, SR, IV, IV, IV, IV, IV, IV, SR),
            // only valid in a simultaneous open: sS2->sSR "SYN/ACK sent to SYN2", sSR->sSR
            // retransmitted; sNO "too late", sSS "client can't send SYN and then SYN/ACK".
            /* fin    */ row(IV, IV, FW, FW, LA, LA, LA, TW, CL, IV),
            // sSR,sES->sFW close started; sFW,sCW->sLA FIN in both directions; sLA->sLA
            // retransmitted FIN; sSS,sS2 "might not send FIN in this state".
            /* ack    */ row(ES, IV, ES, ES, CW, CW, TW, TW, CL, IV),
            // sNO->sES "Assumed." (loose pickup); sSS->sIV "we haven't seen a SYN/ACK yet";
            // sSR->sES handshake done; sFW->sCW FIN answered; sLA->sTW last ACK (RFC 5961 challenged).
            /* rst    */ row(IV, CL, CL, CL, CL, CL, CL, CL, CL, CL),
            // every state closes; TcpRst then validates the RST.
            /* none   */ row(IV, IV, IV, IV, IV, IV, IV, IV, IV, IV)
        },
        {
            /* REPLY         sNO, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2 */
            /* syn    */ row(IV, S2, IV, IV, IV, IV, IV, SS, IV, S2),
            // sSS->sS2 simultaneous open; sS2->sS2 retransmitted; sTW->sSS "Reopened connection,
            // but server may have switched role"; elsewhere invalid SYNs sent by the server.
            /* synack */ row(IV, SR, IG, IG, IG, IG, IG, IG, IG, SR),
            // sSS->sSR standard open; sS2->sSR simultaneous open; sSR->sIG retransmitted SYN/ACK;
            // sES..sCL->sIG late, or answering a SYN we ignored.
            /* fin    */ row(IV, IV, FW, FW, LA, LA, LA, TW, CL, IV),
            // as ORIGINAL: "server might not send FIN in this state" in sSS/sS2.
            /* ack    */ row(IV, IG, SR, ES, CW, CW, TW, TW, CL, IG),
            // sSS->sIG "might be a half-open connection"; sSR->sSR "might answer late resent SYN";
            // sS2->sIG; sLA->sTW last ACK detected.
            /* rst    */ row(IV, CL, CL, CL, CL, CL, CL, CL, CL, CL),
            /* none   */ row(IV, IV, IV, IV, IV, IV, IV, IV, IV, IV)
        }
    };

    /**
     * {@code tcp_valid_flags[]}: the FIN/SYN/RST/ACK/URG combinations {@code tcp_error()} accepts
     * after masking PSH, ECE and CWR.
     */
    private static final boolean[] VALID_FLAGS = new boolean[0x40];

    static {
        int[] valid = {
            TcpFlags.SYN,
            TcpFlags.SYN | TcpFlags.URG,
            TcpFlags.SYN | TcpFlags.ACK,
            TcpFlags.RST,
            TcpFlags.RST | TcpFlags.ACK,
            TcpFlags.FIN | TcpFlags.ACK,
            TcpFlags.FIN | TcpFlags.ACK | TcpFlags.URG,
            TcpFlags.ACK,
            TcpFlags.ACK | TcpFlags.URG
        };
        for (int f : valid) {
            VALID_FLAGS[f] = true;
        }
    }

    private TcpConntrackTable() {}

    /** {@code tcp_conntracks[dir][index][state]}. */
    static int next(int dir, int index, int state) {
        return TABLE[dir][index][state];
    }

    /** {@code get_conntrack_index()}: RST wins, then SYN (with or without ACK), FIN, ACK. */
    static int index(int flags) {
        if ((flags & TcpFlags.RST) != 0) {
            return RST_SET;
        }
        if ((flags & TcpFlags.SYN) != 0) {
            return (flags & TcpFlags.ACK) != 0 ? SYNACK_SET : SYN_SET;
        }
        if ((flags & TcpFlags.FIN) != 0) {
            return FIN_SET;
        }
        return (flags & TcpFlags.ACK) != 0 ? ACK_SET : NONE_SET;
    }

    /** Whether {@code tcp_error()} accepts the flag combination. */
    static boolean validFlags(int flags) {
        return VALID_FLAGS[flags & ~(TcpFlags.ECE | TcpFlags.CWR | TcpFlags.PSH) & 0x3f];
    }

    /** {@code tcp_conntrack_names[]}. */
    static String name(int state) {
        return TcpState.values()[state].name();
    }

    private static byte[] row(int... states) {
        byte[] r = new byte[states.length];
        for (int i = 0; i < states.length; i++) {
            r[i] = (byte) states[i];
        }
        return r;
    }
}
