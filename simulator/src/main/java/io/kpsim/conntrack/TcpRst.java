package io.kpsim.conntrack;

import static io.kpsim.conntrack.TcpSeenFlags.F_MAXACK_SET;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.Seq;

/**
 * The RST case of {@code nf_conntrack_tcp_packet()} (table result {@code sCL} with
 * {@code TCP_RST_SET}): the {@code td_maxack} check ("invalid rst"), the exact-sequence rule that
 * keeps an ESTABLISHED entry when the RST does not match (RFC 5961 challenge ACK), and the
 * shortcuts that skip the window check for RSTs answering packets conntrack let through.
 *
 * <p>By kernel: the exact-sequence rule from 4.19.40 / 5.1 ({@link Switch#TCP_RST_EXACT_SEQUENCE};
 * before, every RST that passed the {@code td_maxack} check closed the entry); the closing-state
 * skip ({@code tcp_can_early_drop()}), the {@code last_index != TCP_SYN_SET} guard and the
 * {@code seq == 0} exception from 5.14 ({@link Switch#TCP_RST_REUSED_TUPLE}), with
 * {@code nf_conntrack_tcp_ignore_invalid_rst} ({@link Switch#TCP_IGNORE_INVALID_RST_SYSCTL}); the
 * challenge-ACK-reply rule from 6.1.9 ({@link Switch#TCP_CHALLENGE_ACK_REUSE}); the direction
 * guard on the RST-to-SYN shortcut in 5.10.259, 5.15.210, 6.6.143
 * ({@link Switch#TCP_RST_SYN_DIRECTION}).
 */
final class TcpRst {

    /** The RST is INVALID ({@code "invalid rst"}). */
    static final int INVALID = -1;
    /** Bit: keep the old state instead of CLOSE. */
    static final int KEEP_STATE = 1;
    /** Bit: skip {@code tcp_in_window()} ({@code goto in_window}). */
    static final int SKIP_WINDOW = 2;

    private final EntryStore s;
    private final boolean exactSequence;
    private final boolean reusedTuple;
    private final boolean challengeAckReuse;
    private final boolean synDirection;
    private final boolean ignoreInvalidRst;

    TcpRst(EntryStore store, Kernel kernel, boolean ignoreInvalidRst) {
        this.s = store;
        this.exactSequence = kernel.has(Switch.TCP_RST_EXACT_SEQUENCE);
        this.reusedTuple = kernel.has(Switch.TCP_RST_REUSED_TUPLE);
        this.challengeAckReuse = kernel.has(Switch.TCP_CHALLENGE_ACK_REUSE);
        this.synDirection = kernel.has(Switch.TCP_RST_SYN_DIRECTION);
        this.ignoreInvalidRst = ignoreInvalidRst && kernel.has(Switch.TCP_IGNORE_INVALID_RST_SYSCTL);
    }

    /**
     * Validates a RST of entry {@code e} travelling in {@code dir}.
     *
     * @return {@link #INVALID}, or a combination of {@link #KEEP_STATE} and {@link #SKIP_WINDOW}
     */
    int check(int e, int dir, int oldState, TcpHeaderFields h) {
        if (reusedTuple && TcpState.values()[s.tcpState(e)].closing()) {
            // "If we are closing, tuple might have been re-used already ... just skip validation checks."
            return SKIP_WINDOW;
        }
        int receiver = TupleHashRef.of(e, dir ^ 1);
        int result = 0;
        if ((s.tdFlags(receiver) & F_MAXACK_SET) != 0
                && (!reusedTuple || s.lastIndex(e) != TcpConntrackTable.SYN_SET)) {
            int seq = h.seq;
            boolean established = established(e);
            if (reusedTuple && seq == 0 && !established) {
                return result; // most likely an answer to a SYN we let through
            }
            if (Seq.before(seq, s.tdMaxAck(receiver)) && !ignoreInvalidRst) {
                return INVALID;
            }
            if (!exactSequence) {
                return shortcut(e, dir, oldState, h, result); // up to 4.19.13: no "break" here
            }
            if (!established || seq == s.tdMaxAck(receiver)) {
                return result;
            }
            // RST part of a train: "P seq:end ack" then "R end:end"
            if (s.lastIndex(e) == TcpConntrackTable.ACK_SET && s.lastDir(e) == dir && seq == s.lastEnd(e)) {
                return result;
            }
            // "RST sequence number doesn't match exactly, keep established state to allow a
            // possible challenge ACK."
            result = KEEP_STATE;
        }
        return shortcut(e, dir, oldState, h, result);
    }

    /** The RSTs that skip {@code tcp_in_window()} because they answer a packet conntrack let through. */
    private int shortcut(int e, int dir, int oldState, TcpHeaderFields h, int result) {
        int status = s.status(e);
        boolean seenReply = (status & Status.SEEN_REPLY) != 0;
        boolean assured = (status & Status.ASSURED) != 0;
        if (((seenReply && s.lastIndex(e) == TcpConntrackTable.SYN_SET && (!synDirection || s.lastDir(e) != dir))
                        || (!assured && s.lastIndex(e) == TcpConntrackTable.ACK_SET))
                && h.ack == s.lastEnd(e)) {
            // RST sent to an invalid SYN or ACK we had let through: skip the window check
            return result | SKIP_WINDOW;
        }
        if (challengeAckReuse
                && oldState == TcpState.SYN_SENT.ordinal()
                && s.lastIndex(e) == TcpConntrackTable.ACK_SET
                && s.lastDir(e) == 1
                && h.seq == s.lastAck(e)) {
            return result | SKIP_WINDOW; // reset in response to a challenge ACK we let through
        }
        return result;
    }

    /** {@code nf_conntrack_tcp_established()}: ESTABLISHED and ASSURED. */
    private boolean established(int e) {
        return s.tcpState(e) == TcpState.ESTABLISHED.ordinal() && (s.status(e) & Status.ASSURED) != 0;
    }
}
