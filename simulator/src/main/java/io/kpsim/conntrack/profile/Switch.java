package io.kpsim.conntrack.profile;

import java.util.List;
import java.util.Optional;

/**
 * One behaviour change of nf_conntrack or NAT between Linux 4.14 and 6.18, as the upstream commit
 * that made it: a switch is on in every release that has the commit. A {@link KernelProfile} is
 * the set of switches of its pinned release; {@link Kernel#at} computes the set of any release of a
 * line from {@link #mainline()} and {@link #stable()}.
 *
 * <p>Every constant's facts live in the catalogue {@code switches.txt} (read by {@link
 * SwitchCatalogue}): the commit (id and subject where identified), its first mainline release, the
 * stable releases that took it, the kernel code kpsim mirrors (the function, e.g. {@code
 * tcp_in_window()} or {@code nf_nat_used_tuple_new()}) and how that was established. How each fact
 * was established: the file content at pinned and neighbouring releases (trees listed in {@code
 * src/docs/kernels.md}), stable review mails and linux-stable-rc push notices; "bracket" means the
 * change is absent in one tree read and present in a later one, and kpsim models it from the later.
 * A release line is {@code x.y}; "stable 4.19.67" means 4.19.67 and later 4.19.y. Research notes:
 * {@code /work/notes/kernel-profiles.md} (section numbers T1..N2 in the catalogue). The javadoc of
 * each constant is its catalogue title.
 */
public enum Switch {

    // ---- TCP tracker: net/netfilter/nf_conntrack_proto_tcp.c

    /**
     * Invalid-packet messages through nf_l4proto_log_invalid() ("nf_ct_proto_6: invalid rst"), not per-tracker
     * "nf_ct_tcp: invalid RST ".
     */
    L4PROTO_LOG_INVALID,

    /** Nf_l4proto_log_invalid() logs at all (4.19.0-4.19.43 logged nothing). */
    LOG_INVALID_CONDITION_FIXED,

    /** Simultaneous open reaches ESTABLISHED (IP_CT_TCP_SIMULTANEOUS_OPEN). */
    TCP_SIMULTANEOUS_OPEN,

    /** A zero last_win gives the RETRANS timeout (300 s). */
    TCP_ZERO_WINDOW_TIMEOUT,

    /** A RST not exactly at td_maxack keeps ESTABLISHED (challenge ACK); RSTs get the CLOSE timeout. */
    TCP_RST_EXACT_SEQUENCE,

    /** Retransmissions compared on the raw window (win_raw), not the scaled one truncated to u16. */
    TCP_RETRANS_RAW_WINDOW,

    /** A keepalive reply (ack = td_end + 1) moves the receiver's td_end (check III passes). */
    TCP_KEEPALIVE_TD_END,

    /** Tcp_error()/udp_error() run after the lookup and count invalid only (not error + invalid). */
    L4_ERROR_AFTER_LOOKUP,

    /** RST in a closing state skips validation; td_maxack check skipped after a SYN; seq 0 accepted. */
    TCP_RST_REUSED_TUPLE,

    /** The nf_conntrack_tcp_ignore_invalid_rst sysctl exists. */
    TCP_IGNORE_INVALID_RST_SYSCTL,

    /** A retransmitted SYN in SYN_SENT does not renew the timeout. */
    TCP_SYN_RETRANS_NO_REFRESH,

    /** Ignored packets logged as "packet (index N) in dir D ignored, state S". */
    TCP_LOG_IGNORED_WITH_INDEX,

    /** BE_LIBERAL survives tcp_options() and the resync of an ignored SYN. */
    TCP_LIBERAL_KEPT,

    /** Only a SYN re-initialises a direction in SYN_SENT/SYN_RECV (tcp_init_sender()). */
    TCP_SYN_REINIT_SYN_ONLY,

    /** A small overshoot moves td_end ("N bytes more than expected"). */
    TCP_WINDOW_OVERSHOOT,

    /** Lower-bound window failures (II, IV) are ignored (NFCT_TCP_IGNORE), not INVALID. */
    TCP_WINDOW_IGNORE,

    /** Invalid transitions logged as "packet (index N) in dir D invalid, state S". */
    TCP_LOG_INVALID_WITH_INDEX,

    /** An out-of-window FIN/RST answering a FIN/RST lowers the timeout to UNACK. */
    TCP_HANDLE_INVALID,

    /** A RST answering a challenge ACK to a SYN skips the window check. */
    TCP_CHALLENGE_ACK_REUSE,

    /** Window scaling is decided on the reply direction's SYN only. */
    TCP_SYN_REINIT_REPLY_SCALE,

    /** A packet that cannot open a connection is logged ("invalid new"). */
    TCP_INVALID_NEW_LOGGED,

    /** The RST-after-SYN shortcut needs the other direction (last_dir != dir). */
    TCP_RST_SYN_DIRECTION,

    // ---- UDP tracker: net/netfilter/nf_conntrack_proto_udp.c

    /** A replied UDP flow becomes a stream only 2 s after its first packet. */
    UDP_STREAM_AFTER_2S,

    /** Nf_conntrack_udp_timeout_stream defaults to 120 s (was 180 s). */
    UDP_STREAM_TIMEOUT_120S,

    /** UDP ASSURED only on entering the stream state. */
    UDP_ASSURED_IN_STREAM_ONLY,

    // ---- ICMP tracker: net/netfilter/nf_conntrack_proto_icmp.c

    /** An ICMP error to another address than the quoted flow's is INVALID ("outer daddr"). */
    ICMP_OUTER_DADDR_CHECK,

    /** A refused ICMP error counts error only (not error + invalid). */
    ICMP_ERROR_COUNTS_ERROR_ONLY,

    // ---- conntrack core: net/netfilter/nf_conntrack_core.c

    /** A reopened connection (-NF_REPEAT) does not count invalid. */
    REPEAT_NOT_COUNTED_INVALID,

    /** Conntrack -S has no ignore counter. */
    IGNORE_COUNTER_REMOVED,

    /** Early drop walks 8 consecutive buckets (not one bucket 8 times). */
    EARLY_DROP_NEXT_BUCKET,

    /** A UDP clash merges when both entries' tuples are equal (nf_ct_match()), not only un-NATed. */
    CLASH_MERGE_MATCHING,

    /** NAT's tuple_taken ignores an entry with the same ORIGINAL tuple. */
    TUPLE_TAKEN_SAME_ORIGIN,

    /** An unmergeable UDP clash is inserted reply-only for 1 s (IPS_NAT_CLASH); clash_resolve counted. */
    CLASH_INSERT_NAT_CLASH,

    /** Confirming into a bucket chain of 50-79+ entries fails (chaintoolong). */
    CHAIN_TOO_LONG,

    /** The gc worker scans the whole table every 120 s (was 1/128 per run). */
    GC_FULL_SCAN,

    /** The gc worker runs again after the average remaining lifetime (1-60 s). */
    GC_ADAPTIVE,

    /** Default nf_conntrack_buckets 262144 (was 65536), nf_conntrack_max = buckets (was 4x). */
    TABLE_SIZING_5_15,

    /** Boolean sysctls accept 0..1 only (proc_dou8vec_minmax). */
    SYSCTL_U8,

    // ---- NAT: net/netfilter/nf_nat_core.c, nf_nat_proto_common.c

    /** NAT port search: random start, at most 128+64+32+16+8 probes (was a rover, whole range). */
    NAT_PORT_ATTEMPTS,

    /** ICMP ids are searched like ports (was a static id rover). */
    NAT_ICMP_ID_SEARCH,

    /** The last 32 NAT probes may evict a TIME_WAIT entry and reuse its port. */
    NAT_EVICT_TIME_WAIT,

    /** The original source is kept when the only clash is the same flow in reverse. */
    NAT_USED_TUPLE_NEW,

    /** A clash merges only for the same flow (either direction); un-NATed winners no longer merge. */
    CLASH_MERGE_REVERSE,

    /** A DNAT port range is searched from its minimum, not a random offset. */
    NAT_DNAT_FROM_MIN;

    /** Which part of the kernel a switch changes. */
    public enum Area {
        /** {@code nf_conntrack_proto_tcp.c}. */
        TCP,
        /** {@code nf_conntrack_proto_udp.c}. */
        UDP,
        /** {@code nf_conntrack_proto_icmp.c}. */
        ICMP,
        /** {@code nf_conntrack_core.c}, {@code nf_conntrack_proto.c}, the sysctls. */
        CORE,
        /** {@code nf_nat_core.c} and the NAT protocol helpers. */
        NAT
    }

    /** Everything the catalogue says of this switch. */
    public SwitchFacts facts() {
        return SwitchCatalogue.of(this);
    }

    /** Which part of conntrack or NAT it changes. */
    public Area area() {
        return facts().area();
    }

    /** The upstream commit id (12 hex digits), or {@code null} when not identified. */
    public String commit() {
        return facts().commit();
    }

    /** The commit's subject line, or {@code null} when not identified. */
    public String subject() {
        return facts().subject();
    }

    /**
     * The first mainline release with the change, as kpsim models it (the later end of a
     * bracket).
     */
    public Release mainline() {
        return facts().mainline();
    }

    /** The first mainline release as established: {@code 6.1}, or a bracket {@code 4.15-4.19}. */
    public String mainlineText() {
        return facts().mainlineText();
    }

    /** The stable lines that took the change, oldest first. */
    public List<Backport> stable() {
        return facts().stable();
    }

    /** The kernel file and function it changes. */
    public String code() {
        return facts().code();
    }

    /** One line saying what the kernel does with the switch on. */
    public String title() {
        return facts().title();
    }

    /** Whether release {@code r} has the change (mainline from {@link #mainline()}, or a stable backport). */
    public boolean presentIn(Release r) {
        if (r.compareLine(mainline()) >= 0) {
            return true;
        }
        for (Backport b : stable()) {
            if (b.line().sameLine(r)) {
                return r.sublevel() >= b.firstWith();
            }
        }
        return false;
    }

    /** The backport to {@code r}'s line, if any. */
    public Optional<Backport> backportTo(Release r) {
        return stable().stream().filter(b -> b.line().sameLine(r)).findFirst();
    }

    /** {@code commit "subject"}, or what is known of it. */
    public String citation() {
        String commit = commit();
        String subject = subject();
        if (commit != null && subject != null) {
            return commit + " \"" + subject + "\"";
        }
        if (subject != null) {
            return "\"" + subject + "\"";
        }
        return commit != null ? commit : "commit not identified";
    }

    /** Where it arrived: {@code mainline 6.1; stable 4.19.67, 5.4.73}. */
    public String releases() {
        String s = "mainline " + mainlineText();
        List<Backport> stable = stable();
        if (!stable.isEmpty()) {
            s += "; stable "
                    + String.join(", ", stable.stream().map(Backport::toString).toList());
        }
        return s;
    }
}
