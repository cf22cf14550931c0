package io.kpsim.conntrack;

/**
 * Per-namespace timeouts in nanoseconds, precomputed from {@link Sysctls} so the packet path does
 * no map look-ups: TCP's {@code tn->timeouts[TCP_CONNTRACK_TIMEOUT_MAX]} indexed like the kernel
 * (state ordinal, then {@link #TCP_RETRANS} and {@link #TCP_UNACK}), UDP's unreplied/replied pair,
 * ICMP and the generic tracker.
 */
final class Timeouts {

    /** {@code TCP_CONNTRACK_RETRANS}: the slot of {@code nf_conntrack_tcp_timeout_max_retrans}. */
    static final int TCP_RETRANS = 12;
    /** {@code TCP_CONNTRACK_UNACK}: the slot of {@code nf_conntrack_tcp_timeout_unacknowledged}. */
    static final int TCP_UNACK = 13;

    private static final long SECOND = 1_000_000_000L;

    final long[] tcp = new long[14];
    final long udpUnreplied;
    final long udpReplied;
    final long icmp;
    final long generic;

    Timeouts(Sysctls s) {
        tcp[TcpState.SYN_SENT.ordinal()] = sec(s, SysctlSpec.TCP_TIMEOUT_SYN_SENT);
        tcp[TcpState.NONE.ordinal()] = tcp[TcpState.SYN_SENT.ordinal()];
        tcp[TcpState.SYN_RECV.ordinal()] = sec(s, SysctlSpec.TCP_TIMEOUT_SYN_RECV);
        tcp[TcpState.ESTABLISHED.ordinal()] = sec(s, SysctlSpec.TCP_TIMEOUT_ESTABLISHED);
        tcp[TcpState.FIN_WAIT.ordinal()] = sec(s, SysctlSpec.TCP_TIMEOUT_FIN_WAIT);
        tcp[TcpState.CLOSE_WAIT.ordinal()] = sec(s, SysctlSpec.TCP_TIMEOUT_CLOSE_WAIT);
        tcp[TcpState.LAST_ACK.ordinal()] = sec(s, SysctlSpec.TCP_TIMEOUT_LAST_ACK);
        tcp[TcpState.TIME_WAIT.ordinal()] = sec(s, SysctlSpec.TCP_TIMEOUT_TIME_WAIT);
        tcp[TcpState.CLOSE.ordinal()] = sec(s, SysctlSpec.TCP_TIMEOUT_CLOSE);
        tcp[TcpState.SYN_SENT2.ordinal()] = 120 * SECOND; // no sysctl; tcp_timeouts[SYN_SENT2] = 2 MINS
        tcp[TCP_RETRANS] = sec(s, SysctlSpec.TCP_TIMEOUT_MAX_RETRANS);
        tcp[TCP_UNACK] = sec(s, SysctlSpec.TCP_TIMEOUT_UNACKNOWLEDGED);
        udpUnreplied = sec(s, SysctlSpec.UDP_TIMEOUT);
        udpReplied = sec(s, SysctlSpec.UDP_TIMEOUT_STREAM);
        icmp = sec(s, SysctlSpec.ICMP_TIMEOUT);
        generic = sec(s, SysctlSpec.GENERIC_TIMEOUT);
    }

    private static long sec(Sysctls s, SysctlSpec spec) {
        return s.value(spec) * SECOND;
    }
}
