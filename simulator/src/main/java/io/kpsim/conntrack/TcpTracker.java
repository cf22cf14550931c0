package io.kpsim.conntrack;

import static io.kpsim.conntrack.TcpSeenFlags.F_BE_LIBERAL;
import static io.kpsim.conntrack.TcpSeenFlags.F_CLOSE_INIT;
import static io.kpsim.conntrack.TcpSeenFlags.F_DATA_UNACKNOWLEDGED;
import static io.kpsim.conntrack.TcpSeenFlags.F_EXP_CHALLENGE_ACK;
import static io.kpsim.conntrack.TcpSeenFlags.F_SACK_PERM;
import static io.kpsim.conntrack.TcpSeenFlags.F_SIMULTANEOUS_OPEN;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.TcpFlags;

/**
 * The TCP tracker: {@code tcp_error()}, {@code tcp_new()} and {@code nf_conntrack_tcp_packet()}
 * of {@code net/netfilter/nf_conntrack_proto_tcp.c}, on the packed {@link EntryStore}.
 *
 * <p>Flow per packet: the state table ({@link TcpConntrackTable}) gives the next state; the
 * special results are handled (reopen from TIME_WAIT/CLOSE, {@code sIG} in {@link TcpIgnored},
 * {@code sIV}, RFC 5961 challenge ACK in LAST_ACK, simultaneous open, RST validation in
 * {@link TcpRst}); then {@link TcpWindow}; then the state, ASSURED and the timeout are updated.
 * What differs between kernels is read from the {@link Switch}es once, here and in the parts.
 */
final class TcpTracker {

    private static final long SECOND = 1_000_000_000L;

    private final EntryStore s;
    private final Sysctls sysctls;
    /** {@link Switch#TCP_SIMULTANEOUS_OPEN}. */
    private final boolean simultaneousOpen;
    /** {@link Switch#TCP_RST_EXACT_SEQUENCE}: a RST gets the CLOSE timeout whatever its state. */
    private final boolean rstCloseTimeout;
    /** {@link Switch#TCP_ZERO_WINDOW_TIMEOUT}. */
    private final boolean zeroWindowTimeout;
    /** {@link Switch#TCP_SYN_RETRANS_NO_REFRESH}. */
    private final boolean synRetransNoRefresh;
    /** {@link Switch#TCP_HANDLE_INVALID}. */
    private final boolean handleInvalid;

    private final Timeouts timeouts;
    private final TcpWindow window;
    private final TcpRst rst;
    private final TcpIgnored ignored;
    /** Where an IGNORE or INVALID result says why. */
    private final LoggedReason log;

    TcpTracker(EntryStore store, Kernel kernel, Sysctls sysctls, Timeouts timeouts, LoggedReason log) {
        this.s = store;
        this.sysctls = sysctls;
        this.simultaneousOpen = kernel.has(Switch.TCP_SIMULTANEOUS_OPEN);
        this.rstCloseTimeout = kernel.has(Switch.TCP_RST_EXACT_SEQUENCE);
        this.zeroWindowTimeout = kernel.has(Switch.TCP_ZERO_WINDOW_TIMEOUT);
        this.synRetransNoRefresh = kernel.has(Switch.TCP_SYN_RETRANS_NO_REFRESH);
        this.handleInvalid = kernel.has(Switch.TCP_HANDLE_INVALID);
        this.timeouts = timeouts;
        this.log = log;
        this.window = new TcpWindow(store, kernel, sysctls.tcpBeLiberal(), log);
        this.rst = new TcpRst(store, kernel, sysctls.tcpIgnoreInvalidRst());
        this.ignored = new TcpIgnored(store, kernel);
    }

    /**
     * {@code tcp_error()}: header length, checksum (only with {@code nf_conntrack_checksum}) and the
     * valid flag combinations.
     *
     * @return why the packet is refused, else {@code null}
     */
    CtReason error(TcpHeaderFields h, boolean checksumValid) {
        if ((h.options & TcpHeaderFields.OPT_TOO_LONG) != 0) {
            return CtReason.TRUNCATED_PACKET;
        }
        if (sysctls.checksum() && !checksumValid) {
            return CtReason.BAD_CHECKSUM;
        }
        if (!TcpConntrackTable.validFlags(h.flags)) {
            return CtReason.INVALID_TCP_FLAGS;
        }
        return null;
    }

    /**
     * {@code tcp_new()}: initialises a fresh (unconfirmed) entry from its first packet: a SYN, or
     * with {@code nf_conntrack_tcp_loose} an ACK-class packet (pickup, both directions liberal).
     *
     * @return false when the packet cannot create a connection ({@code "invalid new"}, logged from
     *     6.12, a {@code pr_debug()} before)
     */
    boolean newConnection(int e, TcpHeaderFields h) {
        int index = TcpConntrackTable.index(h.flags);
        int next = TcpConntrackTable.next(0, index, TcpState.NONE.ordinal());
        if (next >= TcpConntrackTable.IV) {
            log.log(CtReason.INVALID_NEW);
            return false;
        }
        int orig = TupleHashRef.original(e);
        int reply = TupleHashRef.reply(e);
        s.resetSeen(orig, false);
        s.resetSeen(reply, false);
        s.setTcpState(e, TcpState.NONE.ordinal());
        s.setTdEnd(orig, h.end());
        s.setTdMaxWin(orig, h.window == 0 ? 1 : h.window);
        if (next == TcpState.SYN_SENT.ordinal()) {
            s.setTdMaxEnd(orig, s.tdEnd(orig));
            window.tcpOptions(orig, h.options);
        } else if (!sysctls.tcpLoose()) {
            return false; // "Don't try to pick up connections." (no log)
        } else {
            s.setTdMaxEnd(orig, s.tdEnd(orig) + s.tdMaxWin(orig));
            // "We assume SACK and liberal window checking to handle window scaling"
            s.setTdFlags(orig, F_SACK_PERM | F_BE_LIBERAL);
            s.setTdFlags(reply, F_SACK_PERM | F_BE_LIBERAL);
        }
        s.setLastIndex(e, TcpConntrackTable.NONE_SET);
        return true;
    }

    /**
     * {@code nf_conntrack_tcp_packet()} for a packet of entry {@code e} in direction {@code dir}.
     *
     * @return a {@link TrackerAction}
     */
    int packet(int e, int dir, TcpHeaderFields h, long now) {
        int oldState = s.tcpState(e);
        int index = TcpConntrackTable.index(h.flags);
        int newState = TcpConntrackTable.next(dir, index, oldState);
        boolean checkWindow = true;

        if (newState == TcpState.SYN_SENT.ordinal() && oldState >= TcpState.TIME_WAIT.ordinal()) {
            // RFC 1122 reopen from TIME_WAIT / CLOSE, or a client aborting and starting over
            if ((s.tdFlagsEither(e) & F_CLOSE_INIT) != 0
                    || (s.lastDir(e) == dir && s.lastIndex(e) == TcpConntrackTable.RST_SET)) {
                return TrackerAction.REPEAT;
            }
            newState = TcpConntrackTable.IG; // falls through to the IGNORE handling
        }
        if (newState == TcpConntrackTable.IG) {
            if (ignored.handle(e, dir, index, oldState, h) == TcpIgnored.IGNORED) {
                log.log(CtReason.IGNORED_IN_STATE, index, dir, oldState);
                return TrackerAction.IGNORE;
            }
            oldState = TcpState.SYN_SENT.ordinal();
            newState = TcpState.SYN_RECV.ordinal();
        } else if (newState == TcpConntrackTable.IV) {
            log.log(CtReason.INVALID_IN_STATE, index, dir, oldState);
            return TrackerAction.INVALID;
        } else if (newState == TcpState.TIME_WAIT.ordinal()) {
            if (oldState == TcpState.LAST_ACK.ordinal()
                    && index == TcpConntrackTable.ACK_SET
                    && s.lastDir(e) != dir
                    && s.lastIndex(e) == TcpConntrackTable.SYN_SET
                    && (s.lastFlags(e) & F_EXP_CHALLENGE_ACK) != 0) {
                s.setLastFlags(e, s.lastFlags(e) & ~F_EXP_CHALLENGE_ACK); // RFC 5961 challenge ACK, not the last ACK
                log.log(CtReason.CHALLENGE_ACK_IGNORED);
                return TrackerAction.IGNORE;
            }
        } else if (newState == TcpState.SYN_SENT2.ordinal()) {
            if (simultaneousOpen) {
                s.setLastFlags(e, s.lastFlags(e) | F_SIMULTANEOUS_OPEN);
            }
        } else if (newState == TcpState.SYN_RECV.ordinal()) {
            if (simultaneousOpen
                    && dir == 1
                    && index == TcpConntrackTable.ACK_SET
                    && (s.lastFlags(e) & F_SIMULTANEOUS_OPEN) != 0) {
                newState = TcpState.ESTABLISHED.ordinal();
            }
        } else if (newState == TcpState.CLOSE.ordinal() && index == TcpConntrackTable.RST_SET) {
            int r = rst.check(e, dir, oldState, h);
            if (r == TcpRst.INVALID) {
                log.log(CtReason.INVALID_RST);
                return TrackerAction.INVALID;
            }
            if ((r & TcpRst.KEEP_STATE) != 0) {
                newState = oldState;
            }
            checkWindow = (r & TcpRst.SKIP_WINDOW) == 0;
        }

        if (checkWindow) {
            int res = window.inWindow(e, dir, index, h); // logs an IGNORE or INVALID result
            if (res != TrackerAction.ACCEPT) {
                if (res == TrackerAction.INVALID && handleInvalid) {
                    handleInvalid(e, dir, index, now);
                }
                return res;
            }
        }
        return inWindow(e, dir, index, oldState, newState, h, now);
    }

    /** The {@code in_window:} tail: state, CLOSE_INIT, timeout, SEEN_REPLY rules, ASSURED. */
    private int inWindow(int e, int dir, int index, int oldState, int newState, TcpHeaderFields h, long now) {
        s.setLastIndex(e, index);
        s.setLastDir(e, dir);
        s.setTcpState(e, newState);
        if (oldState != newState && newState == TcpState.FIN_WAIT.ordinal()) {
            s.addTdFlags(TupleHashRef.of(e, dir), F_CLOSE_INIT);
        }
        long[] t = timeouts.tcp;
        long timeout;
        if (s.retrans(e) >= sysctls.tcpMaxRetrans() && t[newState] > t[Timeouts.TCP_RETRANS]) {
            timeout = t[Timeouts.TCP_RETRANS];
        } else if (rstCloseTimeout && index == TcpConntrackTable.RST_SET) {
            timeout = t[TcpState.CLOSE.ordinal()];
        } else if ((s.tdFlagsEither(e) & F_DATA_UNACKNOWLEDGED) != 0 && t[newState] > t[Timeouts.TCP_UNACK]) {
            timeout = t[Timeouts.TCP_UNACK];
        } else if (zeroWindowTimeout && s.lastWin(e) == 0 && t[newState] > t[Timeouts.TCP_RETRANS]) {
            timeout = t[Timeouts.TCP_RETRANS];
        } else {
            timeout = t[newState];
        }
        int status = s.status(e);
        if ((status & Status.SEEN_REPLY) == 0) {
            if (h.has(TcpFlags.RST)) {
                // "If only reply is a RST, we can consider ourselves not to have an established
                // connection ... so we can delete the conntrack immediately."
                return TrackerAction.ACCEPT_KILLED;
            }
            if (synRetransNoRefresh && index == TcpConntrackTable.SYN_SET && oldState == TcpState.SYN_SENT.ordinal()) {
                return TrackerAction.ACCEPT; // do not renew the timeout on a SYN retransmit
            }
            if (newState == TcpState.ESTABLISHED.ordinal() && timeout > t[Timeouts.TCP_UNACK]) {
                timeout = t[Timeouts.TCP_UNACK]; // picked up without a reply yet
            }
        } else if ((status & Status.ASSURED) == 0
                && (oldState == TcpState.SYN_RECV.ordinal() || oldState == TcpState.ESTABLISHED.ordinal())
                && newState == TcpState.ESTABLISHED.ordinal()) {
            s.setStatus(e, status | Status.ASSURED);
        }
        refresh(s, e, timeout, now);
        return TrackerAction.ACCEPT;
    }

    /**
     * {@code nf_tcp_handle_invalid()} (6.1+): an out-of-window FIN/RST answering the other side's
     * FIN/RST of an ASSURED entry lowers its timeout to the UNACK value.
     */
    private void handleInvalid(int e, int dir, int index, long now) {
        if ((s.status(e) & Status.ASSURED) == 0
                || (index != TcpConntrackTable.RST_SET && index != TcpConntrackTable.FIN_SET)) {
            return;
        }
        if (s.lastDir(e) != dir
                && (s.lastIndex(e) == TcpConntrackTable.FIN_SET || s.lastIndex(e) == TcpConntrackTable.RST_SET)) {
            long expires = Math.max(0, s.deadline(e) - now);
            if (expires < 120 * SECOND) {
                return;
            }
            long unack = timeouts.tcp[Timeouts.TCP_UNACK];
            if (expires > unack) {
                s.setDeadline(e, now + unack);
            }
        } else {
            s.setLastIndex(e, index);
            s.setLastDir(e, dir);
        }
    }

    /**
     * {@code __nf_ct_refresh_acct()}: a confirmed entry gets {@code now + timeout}; an unconfirmed
     * one keeps the relative timeout, which {@code __nf_conntrack_confirm()} turns absolute; an
     * {@code IPS_FIXED_TIMEOUT} entry (a 5.6+ clash entry) keeps its timeout.
     */
    static void refresh(EntryStore s, int e, long timeout, long now) {
        int status = s.status(e);
        if ((status & Status.FIXED_TIMEOUT) != 0) {
            return;
        }
        s.setDeadline(e, (status & Status.CONFIRMED) != 0 ? now + timeout : timeout);
    }
}
