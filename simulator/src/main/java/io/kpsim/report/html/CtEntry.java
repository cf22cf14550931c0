package io.kpsim.report.html;

import io.kpsim.conntrack.TcpState;
import io.kpsim.conntrack.Tuple;

/**
 * A conntrack entry at one moment, as {@code conntrack -L} and {@code tcp_in_window()} see it:
 * both tuples, the TCP state and each direction's window tracking.
 *
 * @param original {@code tuplehash[IP_CT_DIR_ORIGINAL]}
 * @param reply {@code tuplehash[IP_CT_DIR_REPLY]} (after NAT)
 * @param state the TCP state
 * @param originalWindow {@code seen[IP_CT_DIR_ORIGINAL]}
 * @param replyWindow {@code seen[IP_CT_DIR_REPLY]}
 */
public record CtEntry(Tuple original, Tuple reply, TcpState state, CtWindow originalWindow, CtWindow replyWindow) {}
