package io.kpsim.conntrack;

/**
 * The {@code net.netfilter.nf_conntrack_*} settings kpsim models: their real names, the kernel's
 * defaults and the ranges the kernel's {@code proc_handler} accepts.
 *
 * <p>Defaults and handlers: {@code tcp_timeouts[]}, {@code udp_timeouts[]}, {@code
 * nf_ct_icmp_timeout}, {@code nf_ct_generic_timeout} and the {@code ct_sysctl_table} of
 * {@code nf_conntrack_standalone.c}. On 6.x the boolean knobs use {@code proc_dou8vec_minmax}
 * (0..1) and {@code tcp_max_retrans} is a u8 (0..255); on 4.19 they were plain
 * {@code proc_dointvec} (any int, non-zero means on). Timeouts use {@code proc_dointvec_jiffies},
 * which refuses values above {@code INT_MAX / HZ} (HZ=1000 assumed). {@code nf_conntrack_max} and
 * {@code nf_conntrack_buckets} are the kernel's values for a node with more than 4 GiB of RAM
 * ({@code nf_conntrack_init_start}: 4.19 65536 buckets x max_factor 4, 6.x 262144 x 1).
 * {@code nf_conntrack_udp_timeout_stream} was 180 s until the "udp: set stream timeout to 2
 * minutes" change of the 5.x series, 120 s since.
 */
enum SysctlSpec {
    /** {@code nf_conntrack_tcp_be_liberal}: window failures are not INVALID. */
    TCP_BE_LIBERAL("nf_conntrack_tcp_be_liberal", 0, 0, Kind.FLAG),
    /** {@code nf_conntrack_tcp_loose}: pick up established connections from an ACK. */
    TCP_LOOSE("nf_conntrack_tcp_loose", 1, 1, Kind.FLAG),
    /** {@code nf_conntrack_tcp_max_retrans}: identical segments before the RETRANS timeout applies. */
    TCP_MAX_RETRANS("nf_conntrack_tcp_max_retrans", 3, 3, Kind.U8),
    /** {@code nf_conntrack_tcp_ignore_invalid_rst} (5.14+): skip the {@code td_maxack} RST check. */
    TCP_IGNORE_INVALID_RST("nf_conntrack_tcp_ignore_invalid_rst", -1, 0, Kind.FLAG),
    /** {@code nf_conntrack_max}: entries allowed (0 = unlimited). */
    MAX("nf_conntrack_max", 262144, 262144, Kind.COUNT),
    /** {@code nf_conntrack_buckets}: hash buckets. */
    BUCKETS("nf_conntrack_buckets", 65536, 262144, Kind.BUCKETS),
    /** {@code nf_conntrack_checksum}: verify layer-4 checksums at PREROUTING. */
    CHECKSUM("nf_conntrack_checksum", 1, 1, Kind.FLAG),
    /** {@code nf_conntrack_log_invalid}: protocol number whose INVALID packets are logged (255 = all). */
    LOG_INVALID("nf_conntrack_log_invalid", 0, 0, Kind.U8),
    /** {@code nf_conntrack_tcp_timeout_syn_sent}. */
    TCP_TIMEOUT_SYN_SENT("nf_conntrack_tcp_timeout_syn_sent", 120, 120, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_syn_recv}. */
    TCP_TIMEOUT_SYN_RECV("nf_conntrack_tcp_timeout_syn_recv", 60, 60, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_established} (5 days). */
    TCP_TIMEOUT_ESTABLISHED("nf_conntrack_tcp_timeout_established", 432000, 432000, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_fin_wait}. */
    TCP_TIMEOUT_FIN_WAIT("nf_conntrack_tcp_timeout_fin_wait", 120, 120, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_close_wait}. */
    TCP_TIMEOUT_CLOSE_WAIT("nf_conntrack_tcp_timeout_close_wait", 60, 60, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_last_ack}. */
    TCP_TIMEOUT_LAST_ACK("nf_conntrack_tcp_timeout_last_ack", 30, 30, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_time_wait}. */
    TCP_TIMEOUT_TIME_WAIT("nf_conntrack_tcp_timeout_time_wait", 120, 120, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_close}. */
    TCP_TIMEOUT_CLOSE("nf_conntrack_tcp_timeout_close", 10, 10, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_max_retrans} ({@code TCP_CONNTRACK_RETRANS}). */
    TCP_TIMEOUT_MAX_RETRANS("nf_conntrack_tcp_timeout_max_retrans", 300, 300, Kind.SECONDS),
    /** {@code nf_conntrack_tcp_timeout_unacknowledged} ({@code TCP_CONNTRACK_UNACK}). */
    TCP_TIMEOUT_UNACKNOWLEDGED("nf_conntrack_tcp_timeout_unacknowledged", 300, 300, Kind.SECONDS),
    /** {@code nf_conntrack_udp_timeout}: unreplied UDP. */
    UDP_TIMEOUT("nf_conntrack_udp_timeout", 30, 30, Kind.SECONDS),
    /** {@code nf_conntrack_udp_timeout_stream}: UDP that saw replies. */
    UDP_TIMEOUT_STREAM("nf_conntrack_udp_timeout_stream", 180, 120, Kind.SECONDS),
    /** {@code nf_conntrack_icmp_timeout}. */
    ICMP_TIMEOUT("nf_conntrack_icmp_timeout", 30, 30, Kind.SECONDS),
    /** {@code nf_conntrack_generic_timeout}. */
    GENERIC_TIMEOUT("nf_conntrack_generic_timeout", 600, 600, Kind.SECONDS);

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
    private final long default419;
    private final long default618;
    private final Kind kind;

    SysctlSpec(String shortName, long default419, long default618, Kind kind) {
        this.shortName = shortName;
        this.default419 = default419;
        this.default618 = default618;
        this.kind = kind;
    }

    /** The full name, e.g. {@code net.netfilter.nf_conntrack_tcp_be_liberal}. */
    String fullName() {
        return PREFIX + shortName;
    }

    /** Whether the kernel has this sysctl at all. */
    boolean existsOn(KernelVersion kernel) {
        return defaultValue(kernel) >= 0;
    }

    /** The kernel's default (negative when the sysctl does not exist there). */
    long defaultValue(KernelVersion kernel) {
        return switch (kernel) {
            case V4_19 -> default419;
            case V6_18 -> default618;
        };
    }

    /** Smallest value the kernel accepts. */
    long min(KernelVersion kernel) {
        return switch (kind) {
            case FLAG, U8 -> kernel == KernelVersion.V4_19 && this != LOG_INVALID ? Integer.MIN_VALUE : 0;
            case COUNT, SECONDS -> 0;
            case BUCKETS -> 1;
        };
    }

    /** Largest value the kernel accepts. */
    long max(KernelVersion kernel) {
        return switch (kind) {
            case FLAG -> kernel == KernelVersion.V4_19 ? Integer.MAX_VALUE : 1;
            case U8 -> kernel == KernelVersion.V4_19 && this != LOG_INVALID ? Integer.MAX_VALUE : 255;
            case COUNT -> Integer.MAX_VALUE;
            case BUCKETS -> Integer.MAX_VALUE / 8;
            case SECONDS -> Integer.MAX_VALUE / 1000;
        };
    }
}
