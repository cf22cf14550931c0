package io.kpsim.conntrack;

import static io.kpsim.conntrack.TcpSeenFlags.F_BE_LIBERAL;
import static io.kpsim.conntrack.TcpSeenFlags.F_DATA_UNACKNOWLEDGED;
import static io.kpsim.conntrack.TcpSeenFlags.F_MAXACK_SET;
import static io.kpsim.conntrack.TcpSeenFlags.F_SACK_PERM;
import static io.kpsim.conntrack.TcpSeenFlags.F_WINDOW_SCALE;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.Seq;
import io.kpsim.packet.TcpFlags;

/**
 * {@code tcp_in_window()}: the four bounds of Guido van Rooij's "Real Stateful TCP Packet
 * Filtering", written once for a (sender, receiver) pair of {@code seen[]} slots.
 *
 * <pre>
 *   I.   Upper bound for valid data:  seq  &lt;= sender.td_maxend
 *   II.  Lower bound for valid data:  end  &gt;= sender.td_end - receiver.td_maxwin
 *   III. Upper bound for valid (s)ack: sack &lt;= receiver.td_end
 *   IV.  Lower bound for valid (s)ack: sack &gt;= receiver.td_end - MAXACKWINDOW(sender)
 * </pre>
 *
 * <p>All comparisons are serial arithmetic ({@link Seq}). Before 6.1 any failure is INVALID with
 * the ternary-chain message ({@link #checkOld}); from 6.1 ({@link Switch#TCP_WINDOW_IGNORE}) the
 * checks run one by one, I (past the overshoot allowance) and III are INVALID, II, IV and a small
 * overshoot are IGNOREd ({@code NFCT_TCP_IGNORE}; {@link #checkCurrent}). With
 * {@code nf_conntrack_tcp_be_liberal} or a BE_LIBERAL sender every failure is accepted without
 * window bookkeeping ({@code nf_tcp_log_invalid()}). The other switches read here:
 * {@link Switch#TCP_WINDOW_OVERSHOOT}, {@link Switch#TCP_SYN_REINIT_SYN_ONLY},
 * {@link Switch#TCP_SYN_REINIT_REPLY_SCALE}, {@link Switch#TCP_KEEPALIVE_TD_END},
 * {@link Switch#TCP_RETRANS_RAW_WINDOW}, {@link Switch#TCP_LIBERAL_KEPT}.
 */
final class TcpWindow {

    /** {@code MAXACKWINCONST}. */
    static final int MAXACKWINCONST = 66000;

    private final EntryStore s;
    private final boolean beLiberalSysctl;
    /** Where an IGNORE or INVALID result says why. */
    private final LoggedReason log;

    private final boolean perCheck;
    private final boolean overshootMovesEnd;
    private final boolean reinitSynOnly;
    private final boolean scaleOnReplyOnly;
    private final boolean keepaliveTdEnd;
    private final boolean rawWindow;
    private final boolean liberalKept;

    TcpWindow(EntryStore store, Kernel kernel, boolean beLiberalSysctl, LoggedReason log) {
        this.s = store;
        this.beLiberalSysctl = beLiberalSysctl;
        this.log = log;
        this.perCheck = kernel.has(Switch.TCP_WINDOW_IGNORE);
        this.overshootMovesEnd = kernel.has(Switch.TCP_WINDOW_OVERSHOOT);
        this.reinitSynOnly = kernel.has(Switch.TCP_SYN_REINIT_SYN_ONLY);
        this.scaleOnReplyOnly = kernel.has(Switch.TCP_SYN_REINIT_REPLY_SCALE);
        this.keepaliveTdEnd = kernel.has(Switch.TCP_KEEPALIVE_TD_END);
        this.rawWindow = kernel.has(Switch.TCP_RETRANS_RAW_WINDOW);
        this.liberalKept = kernel.has(Switch.TCP_LIBERAL_KEPT);
    }

    /**
     * Runs the window check for a packet of entry {@code e} in direction {@code dir}.
     *
     * @return {@link TrackerAction#ACCEPT}, {@link TrackerAction#IGNORE} or {@link TrackerAction#INVALID}
     *     (the last two logged)
     */
    int inWindow(int e, int dir, int index, TcpHeaderFields h) {
        int snd = TupleHashRef.of(e, dir);
        int rcv = TupleHashRef.opposite(snd);
        int state = s.tcpState(e);
        int seq = h.seq;
        int ack = h.ack;
        int sack = (s.tdFlags(rcv) & F_SACK_PERM) != 0 ? h.sack : h.ack;
        int win = h.window;
        int end = h.end();
        boolean syn = h.has(TcpFlags.SYN);
        boolean ackFlag = h.has(TcpFlags.ACK);
        boolean rst = h.has(TcpFlags.RST);

        if (s.tdMaxWin(snd) == 0) {
            if (syn) {
                initSender(snd, rcv, dir, end, win, h.options);
                if (!ackFlag) {
                    return TrackerAction.ACCEPT; // simultaneous open
                }
            } else {
                initMidstream(snd, rcv, end, win, sack);
            }
        } else if (reinitSynOnly
                && syn
                && Seq.after(end, s.tdEnd(snd))
                && (state == TcpState.SYN_SENT.ordinal() || state == TcpState.SYN_RECV.ordinal())) {
            initSender(snd, rcv, dir, end, win, h.options); // RFC 793 reinitialised TCP
            if (dir == 1 && !ackFlag) {
                return TrackerAction.ACCEPT;
            }
        } else if (!reinitSynOnly
                && ((state == TcpState.SYN_SENT.ordinal() && dir == 0)
                        || (state == TcpState.SYN_RECV.ordinal() && dir == 1))
                && Seq.after(end, s.tdEnd(snd))) {
            s.setTdEnd(snd, end);
            s.setTdMaxEnd(snd, end);
            s.setTdMaxWin(snd, win == 0 ? 1 : win);
            tcpOptions(snd, h.options);
        }

        if (!ackFlag) {
            ack = s.tdEnd(rcv); // "If there is no ACK, just pretend it was set and OK."
            sack = ack;
        } else if (rst && ack == 0) {
            ack = s.tdEnd(rcv); // broken stacks: RST|ACK with a zero ack
            sack = ack;
        }
        if (rst && seq == 0 && state == TcpState.SYN_SENT.ordinal()) {
            seq = s.tdEnd(snd); // RST answering a SYN
            end = seq;
        }
        return perCheck
                ? checkCurrent(snd, rcv, index, seq, ack, sack, end, win, syn, ackFlag)
                : checkOld(snd, rcv, index, seq, ack, sack, end, win, syn, ackFlag);
    }

    /** {@code tcp_init_sender()}: a SYN or SYN/ACK opens this direction. */
    private void initSender(int snd, int rcv, int dir, int end, int win, int options) {
        s.setTdEnd(snd, end);
        s.setTdMaxEnd(snd, end);
        s.setTdMaxWin(snd, win == 0 ? 1 : win);
        tcpOptions(snd, options);
        // RFC 1323: both sides must send the Window Scale option to enable scaling (6.8, 6.1.77,
        // 6.6.16: only decided on the reply-direction SYN; before, on any direction's SYN).
        boolean decide = !scaleOnReplyOnly || dir == 1;
        if (decide && !((s.tdFlags(snd) & F_WINDOW_SCALE) != 0 && (s.tdFlags(rcv) & F_WINDOW_SCALE) != 0)) {
            s.setTdScale(snd, 0);
            s.setTdScale(rcv, 0);
        }
    }

    /** First packet of a direction mid-stream: "its history is lost for us". */
    private void initMidstream(int snd, int rcv, int end, int win, int sack) {
        s.setTdEnd(snd, end);
        int swin = win << s.tdScale(snd);
        s.setTdMaxWin(snd, swin == 0 ? 1 : swin);
        s.setTdMaxEnd(snd, end + s.tdMaxWin(snd));
        if (s.tdMaxWin(rcv) == 0) {
            // tweak window tracking to pass III and IV until the other direction is seen
            s.setTdEnd(rcv, sack);
            s.setTdMaxEnd(rcv, sack);
        } else if (keepaliveTdEnd && sack == s.tdEnd(rcv) + 1) {
            s.setTdEnd(rcv, s.tdEnd(rcv) + 1); // likely a reply to a keep-alive; needed for III
        }
    }

    /** {@code tcp_options()}: window scale (clamped to 14) and SACK-permitted of a SYN. */
    void tcpOptions(int d, int options) {
        if ((options & TcpHeaderFields.OPT_PRESENT) == 0) {
            return;
        }
        s.setTdScale(d, 0);
        int flags = liberalKept ? s.tdFlags(d) & F_BE_LIBERAL : 0;
        if ((options & TcpHeaderFields.OPT_SACK_PERM) != 0) {
            flags |= F_SACK_PERM;
        }
        if ((options & TcpHeaderFields.OPT_WSCALE) != 0) {
            s.setTdScale(d, Math.min(options & 0xff, TcpHeaderFields.MAX_WSCALE));
            flags |= F_WINDOW_SCALE;
        }
        s.setTdFlags(d, flags);
    }

    private int checkCurrent(
            int snd, int rcv, int index, int seq, int ack, int sack, int end, int win, boolean syn, boolean ackFlag) {
        if (!upperBoundSeq(snd, seq)) {
            int overshot = end - s.tdMaxEnd(snd) + 1;
            if (lowerBoundSeq(snd, rcv, end, true)
                    && lowerBoundAck(snd, rcv, sack)
                    && Integer.compareUnsigned(overshot, s.tdMaxWin(rcv)) <= 0
                    && upperBoundAck(rcv, sack)) {
                // work around TCPs that send more bytes than the receive window allows
                s.setTdEnd(snd, end);
                s.addTdFlags(snd, F_DATA_UNACKNOWLEDGED);
                return fail(snd, TrackerAction.IGNORE, CtReason.BYTES_MORE_THAN_EXPECTED, overshot);
            }
            return fail(snd, TrackerAction.INVALID, CtReason.SEQ_OVER_UPPER_BOUND, s.tdMaxEnd(snd) + 1);
        }
        if (!upperBoundAck(rcv, sack)) {
            return fail(snd, TrackerAction.INVALID, CtReason.ACK_OVER_UPPER_BOUND, s.tdEnd(rcv) + 1);
        }
        if (!lowerBoundSeq(snd, rcv, end, false)) {
            return fail(snd, TrackerAction.IGNORE, CtReason.SEQ_UNDER_LOWER_BOUND, s.tdEnd(snd) - s.tdMaxWin(rcv) - 1);
        }
        if (!lowerBoundAck(snd, rcv, sack)) {
            return fail(
                    snd, TrackerAction.IGNORE, CtReason.ACK_UNDER_LOWER_BOUND, s.tdEnd(rcv) - maxAckWindow(snd) - 1);
        }
        update(snd, rcv, index, seq, ack, sack, end, win, syn, ackFlag);
        return TrackerAction.ACCEPT;
    }

    /**
     * Up to 6.0: one combined test, every failure INVALID unless liberal (then accepted with no
     * bookkeeping), the message chosen by the ternary chain I, II, III, IV. A failure of I alone
     * within the receiver's window is coded {@link CtReason#BYTES_MORE_THAN_EXPECTED}: 5.15.68+
     * moves {@code td_end} and says so, older kernels print the check I text.
     */
    private int checkOld(
            int snd, int rcv, int index, int seq, int ack, int sack, int end, int win, boolean syn, boolean ackFlag) {
        boolean one = upperBoundSeq(snd, seq);
        boolean two = lowerBoundSeq(snd, rcv, end, false);
        boolean three = upperBoundAck(rcv, sack);
        boolean four = lowerBoundAck(snd, rcv, sack);
        if (one && two && three && four) {
            update(snd, rcv, index, seq, ack, sack, end, win, syn, ackFlag);
            return TrackerAction.ACCEPT;
        }
        if (beLiberalSysctl || (s.tdFlags(snd) & F_BE_LIBERAL) != 0) {
            return TrackerAction.ACCEPT;
        }
        if (!one) {
            int overshot = end - s.tdMaxEnd(snd) + 1;
            if (lowerBoundSeq(snd, rcv, end, true)
                    && four
                    && Integer.compareUnsigned(overshot, s.tdMaxWin(rcv)) <= 0
                    && three) {
                if (overshootMovesEnd) {
                    // "Work around TCPs that send more bytes than allowed by the receive window."
                    s.setTdEnd(snd, end);
                    s.addTdFlags(snd, F_DATA_UNACKNOWLEDGED);
                }
                log.log(CtReason.BYTES_MORE_THAN_EXPECTED, overshot);
                return TrackerAction.INVALID;
            }
        }
        CtReason why = !one
                ? CtReason.SEQ_OVER_UPPER_BOUND
                : !two
                        ? CtReason.SEQ_UNDER_LOWER_BOUND
                        : !three ? CtReason.ACK_OVER_UPPER_BOUND : CtReason.ACK_UNDER_LOWER_BOUND;
        log.log(why);
        return TrackerAction.INVALID;
    }

    /** I: {@code before(seq, sender->td_maxend + 1)}. */
    boolean upperBoundSeq(int snd, int seq) {
        return Seq.before(seq, s.tdMaxEnd(snd) + 1);
    }

    /**
     * II: {@code after(end, sender->td_end - receiver->td_maxwin - 1)}; vacuously true while the
     * receiver's window is unknown, except in 6.x's overshoot test which requires it.
     */
    boolean lowerBoundSeq(int snd, int rcv, int end, boolean strict) {
        int maxWin = s.tdMaxWin(rcv);
        if (maxWin == 0) {
            return !strict;
        }
        return Seq.after(end, s.tdEnd(snd) - maxWin - 1);
    }

    /** III: {@code before(sack, receiver->td_end + 1)}. */
    boolean upperBoundAck(int rcv, int sack) {
        return Seq.before(sack, s.tdEnd(rcv) + 1);
    }

    /** IV: {@code after(sack, receiver->td_end - MAXACKWINDOW(sender) - 1)}. */
    boolean lowerBoundAck(int snd, int rcv, int sack) {
        return Seq.after(sack, s.tdEnd(rcv) - maxAckWindow(snd) - 1);
    }

    /** {@code MAXACKWINDOW(sender)}: the sender's largest window, at least 66000. */
    int maxAckWindow(int snd) {
        int w = s.tdMaxWin(snd);
        return Integer.compareUnsigned(w, MAXACKWINCONST) > 0 ? w : MAXACKWINCONST;
    }

    /**
     * {@code nf_tcp_log_invalid()}: be_liberal turns any failure into ACCEPT, silently; else the
     * failure is logged with its bound ({@code arg}) and {@code action} returned.
     */
    private int fail(int snd, int action, CtReason why, int arg) {
        if (beLiberalSysctl || (s.tdFlags(snd) & F_BE_LIBERAL) != 0) {
            return TrackerAction.ACCEPT;
        }
        log.log(why, arg);
        return action;
    }

    /** The bookkeeping after all four checks passed. */
    private void update(
            int snd,
            int rcv,
            int index,
            int seq,
            int ack,
            int sack,
            int end,
            int winRaw,
            boolean syn,
            boolean ackFlag) {
        int win = syn ? winRaw : winRaw << s.tdScale(snd); // SYN windows are never scaled
        int swin = win + (sack - ack);
        if (Integer.compareUnsigned(s.tdMaxWin(snd), swin) < 0) {
            s.setTdMaxWin(snd, swin);
        }
        if (Seq.after(end, s.tdEnd(snd))) {
            s.setTdEnd(snd, end);
            s.addTdFlags(snd, F_DATA_UNACKNOWLEDGED);
        }
        if (ackFlag) {
            if ((s.tdFlags(snd) & F_MAXACK_SET) == 0) {
                s.setTdMaxAck(snd, ack);
                s.addTdFlags(snd, F_MAXACK_SET);
            } else if (Seq.after(ack, s.tdMaxAck(snd))) {
                s.setTdMaxAck(snd, ack);
            }
        }
        if (s.tdMaxWin(rcv) != 0 && Seq.after(end, s.tdMaxEnd(snd))) {
            s.setTdMaxWin(rcv, s.tdMaxWin(rcv) + end - s.tdMaxEnd(snd));
        }
        if (Seq.after(sack + win, s.tdMaxEnd(rcv) - 1)) {
            s.setTdMaxEnd(rcv, sack + win);
            if (win == 0) {
                s.setTdMaxEnd(rcv, s.tdMaxEnd(rcv) + 1);
            }
        }
        if (ack == s.tdEnd(rcv)) {
            s.removeTdFlags(rcv, F_DATA_UNACKNOWLEDGED);
        }
        if (index == TcpConntrackTable.ACK_SET) {
            // 5.3+ (4.19.67+) compares and stores the raw 16-bit window; before, the scaled window
            // was compared with the u16 last_win it had been truncated to on store, so a scaled
            // window above 65535 never matched and a multiple of 65536 read as a zero window.
            countRetransmission(
                    TupleHashRef.entry(snd),
                    TupleHashRef.dir(snd),
                    seq,
                    ack,
                    end,
                    rawWindow ? winRaw : win,
                    rawWindow ? winRaw : win & 0xffff);
        }
    }

    /** "Check retransmissions": identical ACK-class segments in a row from the same side. */
    private void countRetransmission(int e, int dir, int seq, int ack, int end, int compareWin, int lastWin) {
        if (s.lastDir(e) == dir
                && s.lastSeq(e) == seq
                && s.lastAck(e) == ack
                && s.lastEnd(e) == end
                && s.lastWin(e) == compareWin) {
            s.incrementRetrans(e);
        } else {
            s.setLastDir(e, dir);
            s.setLastSeq(e, seq);
            s.setLastAck(e, ack);
            s.setLastEnd(e, end);
            s.setLastWin(e, lastWin);
            s.clearRetrans(e);
        }
    }
}
