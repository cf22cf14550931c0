package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;

/**
 * The {@code net.netfilter.nf_conntrack_*} settings kpsim models: their real names, the kernel's
 * defaults and the ranges the kernel's {@code proc_handler} accepts.
 *
 * <p>Defaults and handlers: {@code tcp_timeouts[]}, {@code udp_timeouts[]}, {@code
 * nf_ct_icmp_timeout}, {@code nf_ct_generic_timeout} and the {@code ct_sysctl_table} of
 * {@code nf_conntrack_standalone.c}. With {@link Switch#SYSCTL_U8} (5.15 on) the boolean knobs use
 * {@code proc_dou8vec_minmax} (0..1) and {@code tcp_max_retrans} is a u8 (0..255); before they were
 * plain {@code proc_dointvec} (any int, non-zero means on). Timeouts use
 * {@code proc_dointvec_jiffies}, which refuses values above {@code INT_MAX / HZ} (HZ=1000 assumed,
 * the strictest). {@code nf_conntrack_max} and {@code nf_conntrack_buckets} are the kernel's values
 * for a node with more than 4 GiB of RAM ({@code nf_conntrack_init_start}: up to 5.14 65536 buckets
 * x max_factor 4, from 5.15 262144 x 1, {@link Switch#TABLE_SIZING_5_15}).
 * {@code nf_conntrack_udp_timeout_stream} is 180 s before 5.0, 120 s since
 * ({@link Switch#UDP_STREAM_TIMEOUT_120S}); {@code nf_conntrack_tcp_ignore_invalid_rst} exists from
 * 5.14 ({@link Switch#TCP_IGNORE_INVALID_RST_SYSCTL}).
 */
enum SysctlSpec {
    /** {@code nf_conntrack_tcp_be_liberal}: window failures are not INVALID. */
    TCP_BE_LIBERAL("nf_conntrack_tcp_be_liberal", 0, Kind.FLAG),
    /** {@code nf_conntrack_tcp_loose}: pick up established connections from an ACK. */
    TCP_LOOSE("nf_conntrack_tcp_loose", 1, Kind.FLAG),
    /** {@code nf_conntrack_tcp_max_retrans}: identical segments before the RETRANS timeout applies. */
    TCP_MAX_RETRANS("nf_conntrack_tcp_max_retrans", 3, Kind.U8),
    /** {@code nf_conntrack_tcp_ignore_invalid_rst} (5.14+): skip the {@code td_maxack} RST check. */
    TCP_IGNORE_INVALID_RST("nf_conntrack_tcp_ignore_invalid_rst", 0, Kind.FLAG),
    /** {@code nf_conntrack_max}: entries allowed (0 = unlimited). */
    MAX("nf_conntrack_max", 262144, Kind.COUNT),
    /** {@code nf_conntrack_buckets}: hash buckets. */
    BUCKETS("nf_conntrack_buckets", 262144, Kind.BUCKETS),
    /** {@code nf_conntrack_checksum}: verify layer-4 checksums at PREROUTING. */
    CHECKSUM("nf_conntrack_checksum", 1, Kind.FLAG),
    /** {@code nf_conntrack_log_invalid}: protocol number whose INVALID packets are logged (255 = all). */
    LOG_INVALID("nf_conntrack_log_invalid", 0, Kind.U8),
    /** {@code nf_conntrack_tcp_timeout_syn_sent}. */
    TCP_TIMEOUT_SYN_SENT("nf_conntrack_tcp_timeout_syn_sent", 120, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_syn_recv}. */
    TCP_TIMEOUT_SYN_RECV("nf_conntrack_tcp_timeout_syn_recv", 60, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_established} (5 days). */
    TCP_TIMEOUT_ESTABLISHED("nf_conntrack_tcp_timeout_established", 432000, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_fin_wait}. */
    TCP_TIMEOUT_FIN_WAIT("nf_conntrack_tcp_timeout_fin_wait", 120, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_close_wait}. */
    TCP_TIMEOUT_CLOSE_WAIT("nf_conntrack_tcp_timeout_close_wait", 60, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_last_ack}. */
    TCP_TIMEOUT_LAST_ACK("nf_conntrack_tcp_timeout_last_ack", 30, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_time_wait}. */
    TCP_TIMEOUT_TIME_WAIT("nf_conntrack_tcp_timeout_time_wait", 120, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_close}. */
    TCP_TIMEOUT_CLOSE("nf_conntrack_tcp_timeout_close", 10, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_max_retrans} ({@code TCP_CONNTRACK_RETRANS}). */
    TCP_TIMEOUT_MAX_RETRANS("nf_conntrack_tcp_timeout_max_retrans", 300, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_unacknowledged} ({@code TCP_CONNTRACK_UNACK}). */
    TCP_TIMEOUT_UNACKNOWLEDGED("nf_conntrack_tcp_timeout_unacknowledged", 300, Kind.SECONDS),
    /** {@code nf_conntrack_udp_timeout}: unreplied UDP. */
    UDP_TIMEOUT("nf_conntrack_udp_timeout", 30, Kind.SECONDS),
    /** {@code nf_conntrack_udp_timeout_stream}: UDP that saw replies. */
    UDP_TIMEOUT_STREAM("nf_conntrack_udp_timeout_stream", 120, Kind.SECONDS),
    /** {@code nf_conntrack_icmp_timeout}. */
    ICMP_TIMEOUT("nf_conntrack_icmp_timeout", 30, Kind.SECONDS),
    /** {@code nf_conntrack_generic_timeout}. */
    GENERIC_TIMEOUT("nf_conntrack_generic_timeout", 600, Kind.SECONDS);

    /** The prefix of every full name. */
    static final String PREFIX = "net.netfilter.";

    /** How the kernel parses and bounds a value. */
    enum Kind {
        /** A boolean knob. */
        FLAG,
        /** An unsigned byte. */
        U8,
        /** A non-negative int. */
        COUNT,
        /** A bucket count: positive, at most INT_MAX / sizeof(struct hlist_nulls_head). */
        BUCKETS,
        /** Seconds, stored in jiffies. */
        SECONDS
    }

    private final String shortName;
    private final long current;
    private final Kind kind;

    /** {@code current} is the default of today's kernels; {@link #defaultValue} knows the older ones. */
    SysctlSpec(String shortName, long current, Kind kind) {
        this.shortName = shortName;
        this.current = current;
        this.kind = kind;
    }

    /** The full name, e.g. {@code net.netfilter.nf_conntrack_tcp_be_liberal}. */
    String fullName() {
        return PREFIX + shortName;
    }

    /** Whether the kernel has this sysctl at all. */
    boolean existsOn(Kernel kernel) {
        return this != TCP_IGNORE_INVALID_RST || kernel.has(Switch.TCP_IGNORE_INVALID_RST_SYSCTL);
    }

    /** The kernel's default. */
    long defaultValue(Kernel kernel) {
        if (this == BUCKETS && !kernel.has(Switch.TABLE_SIZING_5_15)) {
            return 65536;
        }
        if (this == UDP_TIMEOUT_STREAM && !kernel.has(Switch.UDP_STREAM_TIMEOUT_120S)) {
            return 180;
        }
        return current;
    }

    /** Smallest value the kernel accepts. */
    long min(Kernel kernel) {
        return switch (kind) {
            case FLAG, U8 -> !kernel.has(Switch.SYSCTL_U8) && this != LOG_INVALID ? Integer.MIN_VALUE : 0;
            case COUNT, SECONDS -> 0;
            case BUCKETS -> 1;
        };
    }

    /** Largest value the kernel accepts. */
    long max(Kernel kernel) {
        return switch (kind) {
            case FLAG -> !kernel.has(Switch.SYSCTL_U8) ? Integer.MAX_VALUE : 1;
            case U8 -> !kernel.has(Switch.SYSCTL_U8) && this != LOG_INVALID ? Integer.MAX_VALUE : 255;
            case COUNT -> Integer.MAX_VALUE;
            case BUCKETS -> Integer.MAX_VALUE / 8;
            case SECONDS -> Integer.MAX_VALUE / 1000;
        };
    }
}
