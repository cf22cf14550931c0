package io.kpsim.report.html;

/**
 * One direction's {@code struct ip_ct_tcp_state} ({@code seen[dir]}) as {@code tcp_in_window()}
 * keeps it: the end of what that side sent, the highest end the other side's window allowed it,
 * the largest window that side advertised, and its window scale. Values are unsigned 32-bit
 * sequence numbers held in longs.
 *
 * @param tdEnd {@code td_end}: the highest {@code seq + len} this side sent
 * @param tdMaxEnd {@code td_maxend}: the highest {@code ack + window} the other side granted it
 * @param tdMaxWin {@code td_maxwin}: the largest (scaled) window this side advertised
 * @param tdScale {@code td_scale}: this side's window scale shift
 */
public record CtWindow(long tdEnd, long tdMaxEnd, long tdMaxWin, int tdScale) {}
