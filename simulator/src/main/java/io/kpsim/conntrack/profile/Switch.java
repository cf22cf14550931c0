package io.kpsim.conntrack.profile;

import java.util.Arrays;
import java.util.List;

/**
 * One behaviour change of nf_conntrack or NAT between Linux 4.14 and 6.18, as the upstream commit
 * that made it: a switch is on in every release that has the commit. A {@link KernelProfile} is
 * the set of switches of its pinned release; {@link Kernel#at} computes the set of any release of a
 * line from {@link #mainline()} and {@link #stable()}.
 *
 * <p>Every constant names the commit (id and subject where identified), its first mainline
 * release, the stable releases that took it, and the kernel code kpsim mirrors. How each fact was
 * established: the file content at pinned and neighbouring releases (trees listed in
 * {@code src/docs/kernels.md}), stable review mails and linux-stable-rc push notices; "bracket"
 * means the change is absent in one tree read and present in a later one, and kpsim models it from
 * the later. A release line is {@code x.y}; "stable 4.19.67" means 4.19.67 and later 4.19.y.
 * Research notes: {@code /work/notes/kernel-profiles.md} (section numbers T1..N2 below).
 */
public enum Switch {

    // ---- TCP tracker: net/netfilter/nf_conntrack_proto_tcp.c

    /**
     * T13/C1 (4.14 side): conntrack's invalid-packet messages go through
     * {@code nf_l4proto_log_invalid()} ({@code "nf_ct_proto_%d: %pV "}) with 4.19's wording
     * ({@code "invalid rst"}, {@code "bad checksum"}); before, each tracker called
     * {@code nf_log_packet()} itself with a {@code "nf_ct_tcp: "} prefix and its own words
     * ({@code "nf_ct_tcp: invalid RST "}, {@code "nf_ct_tcp: bad TCP checksum "}). Commit
     * {@code c4f3db159582} "netfilter: conntrack: add and use nf_l4proto_log_invalid" (named as the
     * {@code Fixes:} of {@code d48668052b26}); mainline 4.15..4.19 by bracket (absent 4.14.280, present
     * 4.19.1); not in 4.14.y. Read: {@code tcp_in_window()}, {@code tcp_error()}, {@code tcp_packet()},
     * {@code udp_error()}, {@code icmp_error()} of 4.14.280 and 4.19.255.
     */
    L4PROTO_LOG_INVALID(
            Area.CORE,
            "c4f3db159582",
            "netfilter: conntrack: add and use nf_l4proto_log_invalid",
            "4.15-4.19",
            "",
            "nf_conntrack_proto.c nf_l4proto_log_invalid()",
            "invalid-packet messages through nf_l4proto_log_invalid() (\"nf_ct_proto_6: invalid rst\"),"
                    + " not per-tracker \"nf_ct_tcp: invalid RST \""),

    /**
     * C1: {@code nf_l4proto_log_invalid()} tested {@code sysctl_log_invalid != protonum ||
     * sysctl_log_invalid != IPPROTO_RAW}, true for every protocol, so 4.19.0..4.19.43 logged no
     * invalid packet at all whatever {@code nf_conntrack_log_invalid} said; the fix makes it
     * {@code &&}. Commit {@code d48668052b26} "netfilter: fix nf_l4proto_log_invalid to log invalid
     * packets" (Andrei Vagin); mainline 5.1 (5.0.1 still has {@code ||}, read); stable 4.19.44 (review
     * "[PATCH 4.19 055/113]", 15 May 2019; 4.19.40 without, 4.19.48 with, read). Only matters with
     * {@link #L4PROTO_LOG_INVALID}: 4.14 has its own {@code LOG_INVALID()} macro.
     */
    LOG_INVALID_CONDITION_FIXED(
            Area.CORE,
            "d48668052b26",
            "netfilter: fix nf_l4proto_log_invalid to log invalid packets",
            "5.1",
            "4.19.44",
            "nf_conntrack_proto.c nf_l4proto_log_invalid()",
            "nf_l4proto_log_invalid() logs at all (4.19.0-4.19.43 logged nothing)"),

    /**
     * Simultaneous open: a SYN answering a SYN ({@code SYN_SENT2}) sets
     * {@code IP_CT_TCP_SIMULTANEOUS_OPEN} in {@code last_flags}, and the reply-direction ACK in
     * {@code SYN_RECV} that follows moves the entry to ESTABLISHED; without it the entry stays
     * SYN_RECV. {@code nf_conntrack_tcp_packet()} cases {@code TCP_CONNTRACK_SYN_SENT2} and
     * {@code TCP_CONNTRACK_SYN_RECV}. Commit not identified here; mainline 4.15..4.19 by bracket
     * (absent 4.14.280, present 4.19.1); not in 4.14.y.
     */
    TCP_SIMULTANEOUS_OPEN(
            Area.TCP,
            null,
            null,
            "4.15-4.19",
            "",
            "nf_conntrack_proto_tcp.c tcp_packet() SYN_SENT2, SYN_RECV",
            "simultaneous open reaches ESTABLISHED (IP_CT_TCP_SIMULTANEOUS_OPEN)"),

    /**
     * A connection whose last recorded window ({@code last_win}) is 0 gets the RETRANS timeout
     * (300 s) instead of its state's: {@code else if (ct->proto.tcp.last_win == 0 &&
     * timeouts[new_state] > timeouts[TCP_CONNTRACK_RETRANS])} in {@code tcp_packet()}. Commit not
     * identified here; mainline 4.15..4.19 by bracket (absent 4.14.280, present 4.19.1).
     */
    TCP_ZERO_WINDOW_TIMEOUT(
            Area.TCP,
            null,
            null,
            "4.15-4.19",
            "",
            "nf_conntrack_proto_tcp.c tcp_packet() timeout choice",
            "a zero last_win gives the RETRANS timeout (300 s)"),

    /**
     * T2: a RST whose sequence is at or above {@code td_maxack} but not equal to it (nor part of a
     * "train" right after an ACK) keeps an ASSURED ESTABLISHED entry in its state (room for the
     * RFC 5961 challenge ACK), and any RST gets the CLOSE timeout ({@code else if (index ==
     * TCP_RST_SET) timeout = timeouts[TCP_CONNTRACK_CLOSE]}); before, every such RST moved the entry
     * to CLOSE. Commit {@code be0502a3f2e9} "netfilter: conntrack: tcp: only close if RST matches
     * exact sequence"; mainline 5.1 (absent 5.0.1); stable 4.19 by bracket (absent 4.19.13, present
     * 4.19.40); never in 4.14.y (absent 4.14.280). {@code tcp_packet()} case
     * {@code TCP_CONNTRACK_CLOSE}.
     */
    TCP_RST_EXACT_SEQUENCE(
            Area.TCP,
            "be0502a3f2e9",
            "netfilter: conntrack: tcp: only close if RST matches exact sequence",
            "5.1",
            "4.19.14..40",
            "nf_conntrack_proto_tcp.c tcp_packet() case TCP_CONNTRACK_CLOSE",
            "a RST not exactly at td_maxack keeps ESTABLISHED (challenge ACK); RSTs get the CLOSE timeout"),

    /**
     * T5: the retransmission check compares and stores the raw 16-bit window ({@code u16 win_raw =
     * ntohs(tcph->window)}); before, it stored the scaled window into the u16 {@code last_win}, so a
     * scaled window that was a multiple of 65536 read as 0 (RETRANS timeout, 300 s, right after the
     * handshake) and a scaled window above 65535 never matched (no retransmission counted). Commit
     * {@code 959b69ef57db} "netfilter: conntrack: always store window size un-scaled"; mainline 5.3;
     * stable 4.19.67 (review "[PATCH 4.19 36/91]"); not in 4.14.y (absent 4.14.280).
     * {@code tcp_in_window()} "Check retransmissions".
     */
    TCP_RETRANS_RAW_WINDOW(
            Area.TCP,
            "959b69ef57db",
            "netfilter: conntrack: always store window size un-scaled",
            "5.3",
            "4.19.67",
            "nf_conntrack_proto_tcp.c tcp_in_window() retransmission check",
            "retransmissions compared on the raw window (win_raw), not the scaled one truncated to u16"),

    /**
     * T4: a mid-stream packet whose ACK is the receiver's {@code td_end + 1} (a reply to a
     * keepalive probe, {@code seq = SND.NXT - 1}) moves the receiver's {@code td_end} up by one, so
     * check III passes. Commit {@code 4f25434bccc2} "netfilter: conntrack: connection timeout after
     * re-register" (Francesco Ruggeri); mainline 5.10; stable 4.19.153 (review "[PATCH 4.19
     * 189/264]"), 5.4.73 (review "[PATCH 5.4 292/408]"); not in 4.14.y (absent 4.14.280).
     * {@code tcp_in_window()}, {@code sender->td_maxwin == 0} without SYN.
     */
    TCP_KEEPALIVE_TD_END(
            Area.TCP,
            "4f25434bccc2",
            "netfilter: conntrack: connection timeout after re-register",
            "5.10",
            "4.19.153, 5.4.73",
            "nf_conntrack_proto_tcp.c tcp_in_window() mid-stream initialisation",
            "a keepalive reply (ack = td_end + 1) moves the receiver's td_end (check III passes)"),

    /**
     * T14: {@code tcp_error()} and {@code udp_error()} run inside the tracker's packet function,
     * after the lookup and the allocation of a new entry, and a failure counts {@code invalid} only;
     * before, the l4proto {@code ->error()} callback ran in {@code nf_conntrack_in()} before the
     * lookup and counted {@code error} and {@code invalid}. So a bad-checksum SYN can now early-drop
     * or hit "table full". Commit not identified here (the 5.0 l4proto rework); mainline 5.0 by
     * bracket (absent 4.19.255, present 5.0.1). {@code nf_conntrack_in()},
     * {@code nf_conntrack_tcp_packet()}, {@code nf_conntrack_udp_packet()}.
     */
    L4_ERROR_AFTER_LOOKUP(
            Area.CORE,
            null,
            null,
            "5.0",
            "",
            "nf_conntrack_core.c nf_conntrack_in(), tcp_error() / udp_error() callers",
            "tcp_error()/udp_error() run after the lookup and count invalid only (not error + invalid)"),

    /**
     * T2b: RST handling when a tuple is re-used: a RST in a closing state (FIN_WAIT, CLOSE_WAIT,
     * LAST_ACK, TIME_WAIT, CLOSE: {@code tcp_can_early_drop()}) skips every check; the
     * {@code td_maxack} test is skipped right after a SYN ({@code last_index != TCP_SYN_SET}); a RST
     * with {@code seq == 0} on an entry not yet ESTABLISHED is accepted. Commit {@code c4edc3ccbc63}
     * "netfilter: conntrack: improve RST handling when tuple is re-used" (Ali Abdallah); mainline
     * 5.14; not backported (absent 5.10.265, 5.4.301, 4.19.255; present 5.15.0).
     */
    TCP_RST_REUSED_TUPLE(
            Area.TCP,
            "c4edc3ccbc63",
            "netfilter: conntrack: improve RST handling when tuple is re-used",
            "5.14",
            "",
            "nf_conntrack_proto_tcp.c nf_conntrack_tcp_packet() case TCP_CONNTRACK_CLOSE",
            "RST in a closing state skips validation; td_maxack check skipped after a SYN; seq 0 accepted"),

    /**
     * T2b: the sysctl {@code net.netfilter.nf_conntrack_tcp_ignore_invalid_rst} exists (default 0);
     * set, a RST under {@code td_maxack} is not "invalid rst". Commit {@code 1da4cd82dd18}
     * "netfilter: conntrack: add new sysctl to disable RST check"; mainline 5.14; not backported.
     */
    TCP_IGNORE_INVALID_RST_SYSCTL(
            Area.TCP,
            "1da4cd82dd18",
            "netfilter: conntrack: add new sysctl to disable RST check",
            "5.14",
            "",
            "nf_conntrack_standalone.c nf_conntrack_tcp_ignore_invalid_rst",
            "the nf_conntrack_tcp_ignore_invalid_rst sysctl exists"),

    /**
     * T7: a retransmitted SYN of an entry still in SYN_SENT without a reply does not renew its
     * timeout ({@code if (index == TCP_SYN_SET && old_state == TCP_CONNTRACK_SYN_SENT) return
     * NF_ACCEPT;} before {@code nf_ct_refresh_acct()}), so port re-use cannot keep it alive for ever.
     * Commit {@code e15d4cdf27cb} "netfilter: conntrack: do not renew entry stuck in tcp SYN_SENT
     * state"; mainline 5.14; stable 4.19.272 (linux-stable-rc revlist "Linux 4.19.272-rc1"), 5.4.231,
     * 5.10.166; not in 4.14.280.
     */
    TCP_SYN_RETRANS_NO_REFRESH(
            Area.TCP,
            "e15d4cdf27cb",
            "netfilter: conntrack: do not renew entry stuck in tcp SYN_SENT state",
            "5.14",
            "4.19.272, 5.4.231, 5.10.166",
            "nf_conntrack_proto_tcp.c nf_conntrack_tcp_packet() !IPS_SEEN_REPLY branch",
            "a retransmitted SYN in SYN_SENT does not renew the timeout"),

    /**
     * T13: an ignored packet ({@code sIG}) is logged as {@code "packet (index %d) in dir %d ignored,
     * state %s"} instead of {@code "invalid packet ignored in " "state %s "} (with the kernel's
     * trailing space). Commit not identified here; mainline 5.14..5.15 by bracket (absent 5.10.265,
     * present 5.15.0). {@code nf_conntrack_tcp_packet()} case {@code TCP_CONNTRACK_IGNORE}.
     */
    TCP_LOG_IGNORED_WITH_INDEX(
            Area.TCP,
            null,
            null,
            "5.14-5.15",
            "",
            "nf_conntrack_proto_tcp.c nf_conntrack_tcp_packet() case TCP_CONNTRACK_IGNORE",
            "ignored packets logged as \"packet (index N) in dir D ignored, state S\""),

    /**
     * T6: the {@code IP_CT_TCP_FLAG_BE_LIBERAL} flag of a direction survives {@code tcp_options()}
     * ({@code state->flags &= IP_CT_TCP_FLAG_BE_LIBERAL} instead of {@code = 0}) and the resync of an
     * ignored SYN ({@code nf_ct_tcp_state_reset()} instead of {@code memset}), so a picked-up
     * connection stays liberal. Commit {@code f2dd495a8d58} "netfilter: nf_conntrack_tcp: preserve
     * liberal flag in tcp options"; mainline 5.18; stable 4.19.238 (revlist "Linux 4.19.238-rc1"),
     * 5.4.189, 5.10.110, 5.15.33 (tree diffs); 4.14 by bracket (absent 4.14.67, present 4.14.280;
     * probably 4.14.275, the same batch).
     */
    TCP_LIBERAL_KEPT(
            Area.TCP,
            "f2dd495a8d58",
            "netfilter: nf_conntrack_tcp: preserve liberal flag in tcp options",
            "5.18",
            "4.14.68..280, 4.19.238, 5.4.189, 5.10.110, 5.15.33",
            "nf_conntrack_proto_tcp.c tcp_options(), nf_ct_tcp_state_reset()",
            "BE_LIBERAL survives tcp_options() and the resync of an ignored SYN"),

    /**
     * T3: a retransmitted SYN (or SYN/ACK) with a higher sequence re-initialises its direction only
     * when it carries SYN, in either direction and either of SYN_SENT/SYN_RECV, through
     * {@code tcp_init_sender()} (with the window-scale cross-check), and a re-initialising SYN in the
     * reply direction without ACK is accepted at once; before, any packet of the ORIGINAL direction
     * in SYN_SENT or of the REPLY direction in SYN_RECV re-initialised it, SYN flag or not. Commit
     * {@code c7aab4f17021} "netfilter: nf_conntrack_tcp: re-init for syn packets only" (Florian
     * Westphal); mainline 5.19; not backported (absent 5.15.215, 5.10.265).
     */
    TCP_SYN_REINIT_SYN_ONLY(
            Area.TCP,
            "c7aab4f17021",
            "netfilter: nf_conntrack_tcp: re-init for syn packets only",
            "5.19",
            "",
            "nf_conntrack_proto_tcp.c tcp_in_window() RFC 793 re-init branch",
            "only a SYN re-initialises a direction in SYN_SENT/SYN_RECV (tcp_init_sender())"),

    /**
     * T8: when only check I fails and the overshoot {@code end - td_maxend + 1} is within the
     * receiver's {@code td_maxwin} (II, III, IV and the receive window fine), the sender's
     * {@code td_end} moves to {@code end} (so the ACK of that data passes III) and the message is
     * {@code "%u bytes more than expected"}; the packet is still INVALID without
     * {@link #TCP_WINDOW_IGNORE} (5.15.68..5.15.y) and ignored with it. Commit {@code cf97769c761a}
     * "netfilter: conntrack: work around exceeded receive window"; mainline 6.0; stable 5.15.68 (tree
     * diff); absent 5.10.265, 5.4.301, 4.19.255.
     */
    TCP_WINDOW_OVERSHOOT(
            Area.TCP,
            "cf97769c761a",
            "netfilter: conntrack: work around exceeded receive window",
            "6.0",
            "5.15.68",
            "nf_conntrack_proto_tcp.c tcp_in_window() failure branch",
            "a small overshoot moves td_end (\"N bytes more than expected\")"),

    /**
     * T1: {@code tcp_in_window()} returns {@code enum nf_ct_tcp_action}: checks run in the order I,
     * III, II, IV; a failed lower bound (II "SEQ is under lower bound %u (already ACKed data
     * retransmitted)", IV "ignored ACK under lower bound %u (possible overly delayed)") and a small
     * overshoot are {@code NFCT_TCP_IGNORE}: the packet keeps its conntrack (and its NAT) without
     * state or timeout change; I and III stay INVALID with their bound in the message. Before, any
     * failure was INVALID with one ternary-chain message, priority I, II, III, IV. Commits
     * {@code d9a6f0d0df18} "netfilter: conntrack: prepare tcp_in_window for ternary return value",
     * {@code 6e250dcbff1d} "netfilter: conntrack: ignore overly delayed tcp packets"; mainline 6.1;
     * not backported (absent 5.15.215, 5.10.265, 5.4.301, 4.19.255).
     */
    TCP_WINDOW_IGNORE(
            Area.TCP,
            "6e250dcbff1d",
            "netfilter: conntrack: ignore overly delayed tcp packets",
            "6.1",
            "",
            "nf_conntrack_proto_tcp.c tcp_in_window(), nf_tcp_log_invalid()",
            "lower-bound window failures (II, IV) are ignored (NFCT_TCP_IGNORE), not INVALID"),

    /**
     * T13: a packet the state table calls invalid ({@code sIV}) is logged as {@code "packet (index
     * %d) in dir %d invalid, state %s"} instead of {@code "invalid state"}. Commit not identified
     * here (the 6.1 tcp series); mainline 6.1 by bracket (absent 5.15.215, present 6.1.0).
     */
    TCP_LOG_INVALID_WITH_INDEX(
            Area.TCP,
            null,
            null,
            "6.1",
            "",
            "nf_conntrack_proto_tcp.c nf_conntrack_tcp_packet() case TCP_CONNTRACK_MAX",
            "invalid transitions logged as \"packet (index N) in dir D invalid, state S\""),

    /**
     * T10: {@code nf_tcp_handle_invalid()}: an out-of-window FIN or RST that answers the other
     * side's FIN or RST on an ASSURED entry lowers its timeout to the UNACK value (300 s) when more
     * than that (and at least 120 s) was left. Commit "netfilter: conntrack: reduce timeout when
     * receiving out-of-window fin or rst" (net-next 4/8 of the 6.1 tcp series; id not read);
     * mainline 6.1 (present 6.1.0, absent 5.15.215).
     */
    TCP_HANDLE_INVALID(
            Area.TCP,
            null,
            "netfilter: conntrack: reduce timeout when receiving out-of-window fin or rst",
            "6.1",
            "",
            "nf_conntrack_proto_tcp.c nf_tcp_handle_invalid()",
            "an out-of-window FIN/RST answering a FIN/RST lowers the timeout to UNACK"),

    /**
     * T9: on a re-used tuple, the peer's challenge ACK to a SYN ({@code sIG} in SYN_SENT, reply
     * direction) is remembered in {@code last_ack}, and a RST whose sequence equals it skips the
     * window check (the client resetting the stale connection). Commit {@code c410cb974f2b}
     * "netfilter: conntrack: handle tcp challenge acks during connection reuse"; mainline 6.2;
     * stable 6.1.9 (review "[PATCH 6.1 097/313]", tree diff 6.1.8 to 6.1.9).
     */
    TCP_CHALLENGE_ACK_REUSE(
            Area.TCP,
            "c410cb974f2b",
            "netfilter: conntrack: handle tcp challenge acks during connection reuse",
            "6.2",
            "6.1.9",
            "nf_conntrack_proto_tcp.c nf_conntrack_tcp_packet() sIG and RST cases",
            "a RST answering a challenge ACK to a SYN skips the window check"),

    /**
     * T3b: {@code tcp_init_sender()} clears both window scales (one side lacked the option) only for
     * the reply direction's SYN; before, a re-initialising SYN of the ORIGINAL direction cleared
     * them too and later segments fell out of window. Commit "netfilter: conntrack: correct window
     * scaling with retransmitted SYN" (Ryan Schaefer, [PATCH net 1/6] 31 Jan 2024); mainline 6.8;
     * stable 6.1.77, 6.6.16 (tree diffs). Without {@link #TCP_SYN_REINIT_SYN_ONLY} the old
     * initialisation decides the scale on any direction's first SYN.
     */
    TCP_SYN_REINIT_REPLY_SCALE(
            Area.TCP,
            null,
            "netfilter: conntrack: correct window scaling with retransmitted SYN",
            "6.8",
            "6.1.77, 6.6.16",
            "nf_conntrack_proto_tcp.c tcp_init_sender()",
            "window scaling is decided on the reply direction's SYN only"),

    /**
     * T12: {@code tcp_new()} refusing a first packet logs {@code "invalid new"} through
     * {@code tcp_error_log()}; before, it was {@code pr_debug("nf_ct_tcp: invalid new deleting.\n")},
     * never in the log (4.19.255, 5.4.286, 5.15.167, 6.1.0) or silent (6.6.150). Commit not
     * identified here; mainline 6.7..6.12 by bracket (absent 6.6.150, present 6.12.10).
     */
    TCP_INVALID_NEW_LOGGED(
            Area.TCP,
            null,
            null,
            "6.7-6.12",
            "",
            "nf_conntrack_proto_tcp.c tcp_new()",
            "a packet that cannot open a connection is logged (\"invalid new\")"),

    /**
     * T2c: the shortcut that skips the window check for a RST answering a SYN ({@code IPS_SEEN_REPLY
     * && last_index == TCP_SYN_SET && ack == last_end}) also requires {@code last_dir != dir}, so a
     * forged RST in the SYN's own direction cannot close the entry. Commit {@code bed6e04be8e6}
     * "netfilter: conntrack: tcp: do not force CLOSE on invalid-seq RST without direction check";
     * mainline after 6.18 (absent 6.18-rc1 and 6.18.9); stable 5.10.259, 5.15.210, 6.6.143 (tree
     * diffs); absent 6.1.175, 6.12.19, 6.18.9. So the 5.10 and 6.6 profiles have it and the newer
     * 6.12 and 6.18 do not.
     */
    TCP_RST_SYN_DIRECTION(
            Area.TCP,
            "bed6e04be8e6",
            "netfilter: conntrack: tcp: do not force CLOSE on invalid-seq RST without direction check",
            "6.19",
            "5.10.259, 5.15.210, 6.6.143",
            "nf_conntrack_proto_tcp.c nf_conntrack_tcp_packet() RST shortcut",
            "the RST-after-SYN shortcut needs the other direction (last_dir != dir)"),

    // ---- UDP tracker: net/netfilter/nf_conntrack_proto_udp.c

    /**
     * U1: a replied UDP flow keeps the unreplied timeout (30 s) until two seconds after its first
     * packet ({@code stream_ts = 2 * HZ + jiffies} while unconfirmed, {@code time_after(jiffies,
     * stream_ts)}); before, every packet after the first reply got the stream timeout and ASSURED.
     * Commit not identified here ("udp: only extend timeout to stream mode after 2s"); mainline 5.0
     * by bracket (absent 4.19.255, present 5.0.1); never backported. {@code udp_packet()} /
     * {@code nf_conntrack_udp_packet()}.
     */
    UDP_STREAM_AFTER_2S(
            Area.UDP,
            null,
            null,
            "5.0",
            "",
            "nf_conntrack_proto_udp.c nf_conntrack_udp_packet()",
            "a replied UDP flow becomes a stream only 2 s after its first packet"),

    /**
     * U1: {@code nf_conntrack_udp_timeout_stream} defaults to 120 s instead of 180 s
     * ({@code udp_timeouts[UDP_CT_REPLIED]}). Commit not identified here ("udp: set stream timeout to
     * 2 minutes"); mainline 5.0 by bracket (absent 4.19.255, present 5.0.1).
     */
    UDP_STREAM_TIMEOUT_120S(
            Area.UDP,
            null,
            null,
            "5.0",
            "",
            "nf_conntrack_proto_udp.c udp_timeouts[]",
            "nf_conntrack_udp_timeout_stream defaults to 120 s (was 180 s)"),

    /**
     * U1: ASSURED is set only when the flow enters the stream state (a packet after the 2 s), not
     * by every packet once a reply was seen. Commit {@code b7b1d02fc439} "netfilter: conntrack: set
     * on IPS_ASSURED if flows enters internal stream state"; mainline 5.16; stable 5.4.160 (review
     * "[PATCH 5.4 180/355]"), 5.10.80, 5.15.3 (tree diffs).
     */
    UDP_ASSURED_IN_STREAM_ONLY(
            Area.UDP,
            "b7b1d02fc439",
            "netfilter: conntrack: set on IPS_ASSURED if flows enters internal stream state",
            "5.16",
            "5.4.160, 5.10.80, 5.15.3",
            "nf_conntrack_proto_udp.c nf_conntrack_udp_packet()",
            "UDP ASSURED only on entering the stream state"),

    // ---- ICMP tracker: net/netfilter/nf_conntrack_proto_icmp.c

    /**
     * I1: an ICMP error whose outer destination is not the destination of the conntrack tuple that
     * its quoted packet matched is INVALID, logged {@code "outer daddr %pI4 != inner %pI4"}; before,
     * it was RELATED. Commit not identified here; mainline 5.1..5.4 by bracket (absent 5.0.1,
     * present 5.4.117). {@code nf_conntrack_inet_error()}.
     */
    ICMP_OUTER_DADDR_CHECK(
            Area.ICMP,
            null,
            null,
            "5.1-5.4",
            "",
            "nf_conntrack_proto_icmp.c nf_conntrack_inet_error()",
            "an ICMP error to another address than the quoted flow's is INVALID (\"outer daddr\")"),

    /**
     * C5: a refused ICMP error (bad checksum, unknown type, no matching conntrack, outer address)
     * counts {@code error} only; before, {@code error} and {@code invalid}. Commit not identified
     * here; mainline 5.5..5.10 by bracket (absent 5.4.301, present 5.10.35).
     * {@code nf_conntrack_handle_icmp()}.
     */
    ICMP_ERROR_COUNTS_ERROR_ONLY(
            Area.ICMP,
            null,
            null,
            "5.5-5.10",
            "",
            "nf_conntrack_core.c nf_conntrack_handle_icmp()",
            "a refused ICMP error counts error only (not error + invalid)"),

    // ---- conntrack core: net/netfilter/nf_conntrack_core.c

    /**
     * C6: a packet the TCP tracker answers with {@code -NF_REPEAT} (reopening a closed connection)
     * is looked up again without counting {@code invalid}; before, {@code invalid} was counted first.
     * Commit not identified here; mainline 5.1..5.4 by bracket (absent 5.0.1, present 5.4.117).
     * {@code nf_conntrack_in()}.
     */
    REPEAT_NOT_COUNTED_INVALID(
            Area.CORE,
            null,
            null,
            "5.1-5.4",
            "",
            "nf_conntrack_core.c nf_conntrack_in() -NF_REPEAT",
            "a reopened connection (-NF_REPEAT) does not count invalid"),

    /**
     * C5: the {@code ignore} counter is gone ({@code struct ip_conntrack_stat}, ctnetlink's
     * {@code CTA_STATS_IGNORE} no longer sent); it counted packets that already carried a conntrack
     * or were untracked ({@code NOTRACK}), never TCP's ignored packets. Commit not identified here;
     * mainline 5.5..5.10 by bracket (absent 5.4.301, present 5.10.35).
     */
    IGNORE_COUNTER_REMOVED(
            Area.CORE,
            null,
            null,
            "5.5-5.10",
            "",
            "nf_conntrack_core.c nf_conntrack_in(); nf_conntrack_netlink.c ctnetlink_ct_stat_cpu_fill_info()",
            "conntrack -S has no ignore counter"),

    /**
     * C2: {@code early_drop()} walks the new tuple's bucket and the seven after it ({@code bucket =
     * (bucket + 1) % hsize}); before, it scaled {@code hash}, {@code hash + 1}, ... with
     * {@code reciprocal_scale()}, which lands on (almost always) the same bucket eight times. Commit
     * "netfilter: conntrack: fix calculation of next bucket number in early_drop" (id not confirmed
     * here); mainline 4.20..5.0 by bracket (present 5.0.1); stable 4.19 by bracket (absent 4.19.1,
     * present 4.19.13), 4.14 by bracket (absent 4.14.67, present 4.14.280).
     */
    EARLY_DROP_NEXT_BUCKET(
            Area.CORE,
            null,
            "netfilter: conntrack: fix calculation of next bucket number in early_drop",
            "4.20-5.0",
            "4.14.68..280, 4.19.2..13",
            "nf_conntrack_core.c early_drop()",
            "early drop walks 8 consecutive buckets (not one bucket 8 times)"),

    /**
     * C4: a UDP clash at confirmation is resolved (the packet takes the winning entry,
     * {@code nf_ct_set()}) when the winner has no NAT done <em>or</em> both entries have equal
     * ORIGINAL and REPLY tuples ({@code nf_ct_match()}); before, only when the winner had no NAT.
     * Commit {@code ed07d9a021df} "netfilter: nf_conntrack: resolve clash for matching conntracks";
     * mainline 4.19 (present 4.19.1); 4.14 by bracket (absent 4.14.67, present 4.14.280).
     * {@code nf_ct_resolve_clash()}.
     */
    CLASH_MERGE_MATCHING(
            Area.CORE,
            "ed07d9a021df",
            "netfilter: nf_conntrack: resolve clash for matching conntracks",
            "4.19",
            "4.14.68..280",
            "nf_conntrack_core.c nf_ct_resolve_clash()",
            "a UDP clash merges when both entries' tuples are equal (nf_ct_match()), not only un-NATed"),

    /**
     * C4: {@code nf_conntrack_tuple_taken()} skips an entry whose ORIGINAL tuple equals the new one's
     * (two packets of one UDP socket racing), leaving it to clash resolution instead of picking
     * another port. Commit "netfilter: nf_nat: skip nat clash resolution for same-origin entries"
     * (id {@code 4e35c1cb9460} not confirmed here); mainline 5.0 (present 5.0.1); stable 4.19 by
     * bracket (absent 4.19.13, present 4.19.40), 4.14 by bracket (absent 4.14.67, present 4.14.280).
     */
    TUPLE_TAKEN_SAME_ORIGIN(
            Area.CORE,
            null,
            "netfilter: nf_nat: skip nat clash resolution for same-origin entries",
            "5.0",
            "4.14.68..280, 4.19.14..40",
            "nf_conntrack_core.c nf_conntrack_tuple_taken()",
            "NAT's tuple_taken ignores an entry with the same ORIGINAL tuple"),

    /**
     * C4 and C5: a UDP clash that cannot merge inserts the losing entry in the reply direction only
     * ({@code nf_ct_resolve_clash_harder()}: fake ORIGINAL hash node, 1 s fixed timeout,
     * {@code IPS_NAT_CLASH}, never ASSURED) when its reply tuple is free, so both racing DNS queries
     * get their answers; a resolved clash counts {@code clash_resolve} and no longer
     * {@code insert_failed}. Commit {@code 6a757c07e51f} "netfilter: conntrack: allow insertion of
     * clashing entries" (series "[PATCH nf 0/4]", 3 Feb 2020); mainline 5.6; not backported (absent
     * 5.4.301, present 5.10.35).
     */
    CLASH_INSERT_NAT_CLASH(
            Area.CORE,
            "6a757c07e51f",
            "netfilter: conntrack: allow insertion of clashing entries",
            "5.6",
            "",
            "nf_conntrack_core.c nf_ct_resolve_clash_harder()",
            "an unmergeable UDP clash is inserted reply-only for 1 s (IPS_NAT_CLASH); clash_resolve counted"),

    /**
     * C5: {@code __nf_conntrack_confirm()} refuses a tuple whose bucket chain is longer than
     * {@code MIN_CHAINLEN + get_random_u32_below(MAX_CHAINLEN)} (50 + 0..29) entries: drop,
     * {@code chaintoolong} and {@code insert_failed}. Commit not identified here ("netfilter: refuse
     * insertion if chain has grown too large"); mainline 5.14..5.15 by bracket (absent 5.10.265,
     * present 5.15.0).
     */
    CHAIN_TOO_LONG(
            Area.CORE,
            null,
            null,
            "5.14-5.15",
            "",
            "nf_conntrack_core.c __nf_conntrack_confirm()",
            "confirming into a bucket chain of 50-79+ entries fails (chaintoolong)"),

    /**
     * C3: the gc worker scans the whole table every 120 s ({@code GC_SCAN_INTERVAL}) in 10 ms
     * slices; before, it scanned 1/128 of the buckets per run, every 4 ms to 124 ms (HZ=250).
     * Commit {@code 4608fdfc07e1} "netfilter: conntrack: collect all entries in one cycle"; mainline
     * 5.14; stable 4.19 by bracket (absent 4.19.124, present 4.19.222), 5.4.144, 5.10.62.
     * {@code gc_worker()}.
     */
    GC_FULL_SCAN(
            Area.CORE,
            "4608fdfc07e1",
            "netfilter: conntrack: collect all entries in one cycle",
            "5.14",
            "4.19.125..222, 5.4.144, 5.10.62",
            "nf_conntrack_core.c gc_worker()",
            "the gc worker scans the whole table every 120 s (was 1/128 per run)"),

    /**
     * C3: the gc worker's next run is the average remaining lifetime of the entries it saw (each
     * clamped to 1..300 s, starting from 100 entries at 60 s), clamped to 1..60 s, and a run pauses
     * after 256 expired or evicted entries (HZ=250). Commit {@code 2cfadb761d3d} "netfilter:
     * conntrack: revisit gc autotuning"; mainline 5.18; stable 5.15.34 (tree diff).
     */
    GC_ADAPTIVE(
            Area.CORE,
            "2cfadb761d3d",
            "netfilter: conntrack: revisit gc autotuning",
            "5.18",
            "5.15.34",
            "nf_conntrack_core.c gc_worker()",
            "the gc worker runs again after the average remaining lifetime (1-60 s)"),

    /**
     * C7: {@code nf_conntrack_init_start()} sizes the table 262144 buckets on a machine with more
     * than 4 GiB and {@code nf_conntrack_max} = buckets (factor 1); before, 65536 buckets and
     * factor 4, the same 262144 entries. Commit not identified here; mainline 5.14..5.15 by bracket
     * (absent 5.10.35, present 5.15.0).
     */
    TABLE_SIZING_5_15(
            Area.CORE,
            null,
            null,
            "5.14-5.15",
            "",
            "nf_conntrack_core.c nf_conntrack_init_start()",
            "default nf_conntrack_buckets 262144 (was 65536), nf_conntrack_max = buckets (was 4x)"),

    /**
     * The boolean sysctls ({@code tcp_loose}, {@code tcp_be_liberal}, {@code checksum}, ...) and
     * {@code tcp_max_retrans} are {@code proc_dou8vec_minmax}: 0..1 and 0..255; before,
     * {@code proc_dointvec} took any int. Commit not identified here; mainline 5.13..5.15 by bracket
     * (absent 5.10.198, present 5.15.0). {@code nf_conntrack_standalone.c} {@code ct_sysctl_table}.
     */
    SYSCTL_U8(
            Area.CORE,
            null,
            null,
            "5.13-5.15",
            "",
            "nf_conntrack_standalone.c ct_sysctl_table",
            "boolean sysctls accept 0..1 only (proc_dou8vec_minmax)"),

    // ---- NAT: net/netfilter/nf_nat_core.c, nf_nat_proto_common.c

    /**
     * N1: the port search starts at a random offset and probes at most 128, then 64, 32, 16 and 8
     * ports from new random offsets (248 in all: a round of 16 still halves, {@code if (attempts >=
     * range_size || attempts < 16) return;} stops only after the round of 8) before giving up with
     * the last, used candidate (the confirm clash then
     * drops the packet); before, it started at a per-protocol rover ({@code tcp_port_rover},
     * {@code udp_port_rover}) and walked the whole range. Commits {@code 6ed5943f8735} "netfilter:
     * nat: remove l4 protocol port rovers" and {@code a504b703bb1d} "netfilter: nat: limit port clash
     * resolution attempts"; mainline 5.0; stable 4.14.265, 4.19.228 (release mails).
     * {@code nf_nat_l4proto_unique_tuple()}.
     */
    NAT_PORT_ATTEMPTS(
            Area.NAT,
            "a504b703bb1d",
            "netfilter: nat: limit port clash resolution attempts",
            "5.0",
            "4.14.265, 4.19.228",
            "nf_nat_proto_common.c / nf_nat_core.c nf_nat_l4proto_unique_tuple()",
            "NAT port search: random start, at most 128+64+32+16+8 probes (was a rover, whole range)"),

    /**
     * N1: ICMP echo ids are remapped by the same search as ports (random start in 0..65535, 128
     * halving attempts); before, {@code icmp_unique_tuple()} of {@code nf_nat_proto_icmp.c} walked a
     * static {@code id} rover over 65535 values. Same rework also stopped {@code --random} from using
     * {@code secure_port()} (kpsim draws {@code random} from the node's stream in every release).
     * Commit not identified here
     * (the 5.0 NAT rework); mainline 5.0 by bracket (absent 4.19.255, present 5.0.1).
     */
    NAT_ICMP_ID_SEARCH(
            Area.NAT,
            null,
            null,
            "5.0",
            "",
            "nf_nat_core.c nf_nat_l4proto_unique_tuple() case IPPROTO_ICMP",
            "ICMP ids are searched like ports (was a static id rover)"),

    /**
     * N1: in the last 32 probes ({@code NF_NAT_HARDER_THRESH}) of a round, for a TCP connection in
     * SYN_SENT, a colliding SNATed entry in TIME_WAIT or CLOSE whose ORIGINAL sequence is behind the
     * new SYN's is killed and its port reused ({@code nf_nat_used_tuple_harder()},
     * {@code nf_nat_may_kill()}, {@code nf_seq_has_advanced()}). Commit not identified here;
     * mainline 6.6 by bracket (absent 6.1.175, present 6.6.0).
     */
    NAT_EVICT_TIME_WAIT(
            Area.NAT,
            null,
            null,
            "6.6",
            "",
            "nf_nat_core.c nf_nat_used_tuple_harder()",
            "the last 32 NAT probes may evict a TIME_WAIT entry and reuse its port"),

    /**
     * N1: keeping the original source uses {@code nf_nat_used_tuple_new()}: a clash with an un-NATed
     * entry that is the same flow seen from the other side (both tuples swapped) does not count as
     * taken, so the reply of a racing pair is not port-remapped. Commit not identified here (the
     * series of {@link #CLASH_MERGE_REVERSE}, September 2024); mainline 6.12; stable 6.6.57 (tree
     * diff 6.6.56 to 6.6.57); absent 6.1.175.
     */
    NAT_USED_TUPLE_NEW(
            Area.NAT,
            null,
            null,
            "6.12",
            "6.6.57",
            "nf_nat_core.c nf_nat_used_tuple_new()",
            "the original source is kept when the only clash is the same flow in reverse"),

    /**
     * C4: clash resolution merges only when the entries are the same flow, in the same or in swapped
     * directions ({@code nf_ct_can_merge()}: {@code nf_ct_match() || nf_ct_match_reverse()}); the
     * "winner has no NAT" allowance is gone. Commit "netfilter: conntrack: add clash resolution for
     * reverse collisions" ([PATCH net 02/14], 26 Sep 2024); mainline 6.12; absent 6.6.150, 6.1.175.
     */
    CLASH_MERGE_REVERSE(
            Area.CORE,
            null,
            "netfilter: conntrack: add clash resolution for reverse collisions",
            "6.12",
            "",
            "nf_conntrack_core.c nf_ct_can_merge()",
            "a clash merges only for the same flow (either direction); un-NATed winners no longer merge"),

    /**
     * N1: a DNAT port range without {@code --random} is searched from its minimum ({@code off = 0})
     * instead of a random offset, and no random number is drawn. Commit not identified here;
     * mainline 6.7..6.12 by bracket (absent 6.6.9, present 6.12.10).
     */
    NAT_DNAT_FROM_MIN(
            Area.NAT,
            null,
            null,
            "6.7-6.12",
            "",
            "nf_nat_core.c nf_nat_l4proto_unique_tuple() offset",
            "a DNAT port range is searched from its minimum, not a random offset");

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

    private final Area area;
    private final String commit;
    private final String subject;
    private final String mainlineText;
    private final Release mainline;
    private final List<Backport> stable;
    private final String code;
    private final String title;

    Switch(Area area, String commit, String subject, String mainline, String stable, String code, String title) {
        this.area = area;
        this.commit = commit;
        this.subject = subject;
        this.mainlineText = mainline;
        int dash = mainline.indexOf('-');
        this.mainline = Release.parse(dash < 0 ? mainline : mainline.substring(dash + 1));
        this.stable = stable.isEmpty()
                ? List.of()
                : Arrays.stream(stable.split(", ")).map(Backport::parse).toList();
        this.code = code;
        this.title = title;
    }

    /** Which part of conntrack or NAT it changes. */
    public Area area() {
        return area;
    }

    /** The upstream commit id (12 hex digits), or {@code null} when not identified. */
    public String commit() {
        return commit;
    }

    /** The commit's subject line, or {@code null} when not identified. */
    public String subject() {
        return subject;
    }

    /**
     * The first mainline release with the change, as kpsim models it (the later end of a
     * bracket).
     */
    public Release mainline() {
        return mainline;
    }

    /** The first mainline release as established: {@code 6.1}, or a bracket {@code 4.15-4.19}. */
    public String mainlineText() {
        return mainlineText;
    }

    /** The stable lines that took the change, oldest first. */
    public List<Backport> stable() {
        return stable;
    }

    /** The kernel file and function it changes. */
    public String code() {
        return code;
    }

    /** One line saying what the kernel does with the switch on. */
    public String title() {
        return title;
    }

    /** Whether release {@code r} has the change (mainline from {@link #mainline()}, or a stable backport). */
    public boolean presentIn(Release r) {
        if (r.compareLine(mainline) >= 0) {
            return true;
        }
        for (Backport b : stable) {
            if (b.line().sameLine(r)) {
                return r.sublevel() >= b.firstWith();
            }
        }
        return false;
    }

    /** The backport to {@code r}'s line, if any. */
    public java.util.Optional<Backport> backportTo(Release r) {
        return stable.stream().filter(b -> b.line().sameLine(r)).findFirst();
    }

    /** {@code commit "subject"}, or what is known of it. */
    public String citation() {
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
        String s = "mainline " + mainlineText;
        if (!stable.isEmpty()) {
            s += "; stable "
                    + String.join(", ", stable.stream().map(Backport::toString).toList());
        }
        return s;
    }
}
