package io.kpsim.report;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.conntrack.profile.Switch;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict on a run: whether connections were reset, the concrete reasons taken from the
 * trace (which packet was INVALID where, which rule dropped what, what a 6.1+ kernel ignored,
 * what be_liberal accepted), and for a reset run the fixes of kubernetes issue 74839 that would
 * have helped: {@code nf_conntrack_tcp_be_liberal=1}, kube-proxy's INVALID drop rule (PR 74840),
 * and the 6.1+ kernel that ignores lower-bound window failures.
 *
 * @param reset whether any connection was reset
 * @param verdict one line
 * @param reasons why, concretely
 * @param fixes what would have helped (empty when nothing was reset)
 */
public record Diagnosis(boolean reset, String verdict, List<String> reasons, List<String> fixes) {

    /** Copies the lists. */
    public Diagnosis {
        reasons = List.copyOf(reasons);
        fixes = List.copyOf(fixes);
    }

    /** Judges a run from its counters, its first reset story and the fates of its odd packets. */
    static Diagnosis of(RunContext c, RunMetrics m, ResetStory story, FateCounter f) {
        return m.resets() > 0 ? resets(c, m, story, f) : noReset(c, m, f);
    }

    private static Diagnosis resets(RunContext c, RunMetrics m, ResetStory story, FateCounter f) {
        List<String> reasons = new ArrayList<>();
        String reason = story == null ? null : story.invalidReason();
        if (story != null) {
            reasons.add("conntrack on " + story.clientNode() + " marked a reply INVALID (\"" + reason
                    + "\"), the reverse NAT was skipped, " + story.clientPod() + " answered the pod IP with a RST and "
                    + story.serverPod() + " accepted it");
        }
        if (story != null && story.clientPod().equals(story.clientNode())) {
            reasons.add("the INVALID segment was addressed to " + story.clientNode() + " itself (the address a NAT"
                    + " gave the connection), so it went from PREROUTING to INPUT, not FORWARD: "
                    + hostPathDrop(c));
        }
        if (f.deliveredInvalid > 0) {
            reasons.add("in all, " + f.deliveredInvalid + " INVALID " + plural(f.deliveredInvalid, "packet")
                    + " reached a pod without their reverse NAT, and " + m.resets() + " "
                    + plural(m.resets(), "connection") + " ended by a RST");
        }
        account(m, f, reasons);
        List<String> fixes = new ArrayList<>();
        if (!c.beLiberal()) {
            fixes.add("net.netfilter.nf_conntrack_tcp_be_liberal=1 (--be-liberal): conntrack accepts out-of-window"
                    + " segments instead of marking them INVALID, so they keep their reverse NAT");
        }
        boolean hostPath = story != null && story.clientPod().equals(story.clientNode());
        if (!c.dropInvalid() && !hostPath) {
            fixes.add("kube-proxy's \"-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\" (--drop-invalid;"
                    + " kubernetes PR 74840): the INVALID segment is dropped before it reaches the client");
        }
        fixes.add(kernelAdvice(c.kernel(), reason));
        return new Diagnosis(
                true,
                "RESET: " + m.resets() + " " + plural(m.resets(), "connection") + " reset by peer",
                reasons,
                fixes);
    }

    /** Adds where every INVALID verdict went, so the summary's count and the reasons agree. */
    private static void account(RunMetrics m, FateCounter f, List<String> reasons) {
        String a = f.invalidAccount(m.invalid());
        if (a != null) {
            reasons.add(a);
        }
    }

    private static String kernelAdvice(KernelProfile kernel, String reason) {
        // 6e250dcbff1d (Linux 6.1, never backported) IGNOREs II/IV failures and a small overshoot,
        // which 5.15.68+ still marks INVALID ("N bytes more than expected")
        boolean lower = reason != null
                && (reason.startsWith("SEQ is under")
                        || reason.startsWith("ACK is under")
                        || reason.endsWith("bytes more than expected"));
        if (!kernel.has(Switch.TCP_WINDOW_IGNORE) && lower) {
            return "kernel 6.1+ (--kernel 6.18): it ignores lower-bound failures like \"" + reason
                    + "\"; the segment keeps its conntrack and is reverse-NATed";
        }
        if (reason == null) {
            return "kernel 6.1+ (--kernel 6.18) helps only with lower-bound failures; upper-bound ones stay INVALID";
        }
        return "a newer kernel would not help: \"" + reason + "\" is INVALID on 6.1+ too (6.1+ ignores only"
                + " lower-bound failures)";
    }

    private static Diagnosis noReset(RunContext c, RunMetrics m, FateCounter f) {
        List<String> reasons = new ArrayList<>();
        if (m.injectionsMissed() > 0) {
            reasons.add(m.injectionsMissed() + " scripted " + plural(m.injectionsMissed(), "injection")
                    + " found no open connection to forge on, so nothing was sent (check its time and connection)");
        }
        if (!f.injected().isEmpty()) {
            String all = f.injectedSummary();
            reasons.add(injected(c, f.injected().get(0)) + (all == null ? "" : " (the first of " + all + ")"));
        }
        if (f.droppedInvalid > 0
                && (f.firstDropped() == null || !f.firstDropped().injected())) {
            PacketFate d = f.firstDropped();
            reasons.add((d == null ? "KUBE-FORWARD" : dropper(d)) + " dropped "
                    + f.droppedInvalid + " INVALID " + plural(f.droppedInvalid, "packet")
                    + " before " + (f.droppedInvalid == 1 ? "it" : "they") + " reached a pod"
                    + (d == null ? "" : " (first at " + at(d) + ": \"" + d.reason() + "\")"));
            if (d != null && halfSeen(d.reason())) {
                reasons.add(d.node() + " saw only one direction of " + (m.completed() < m.connections() ? "the" : "a")
                        + " connection (\"" + d.reason() + "\": its conntrack never saw the reply that would"
                        + " advance the state), as with asymmetric routing: the INVALID drop breaks connections that"
                        + " work without it (kubernetes issue 94861)");
            }
        }
        if (f.droppedOtherwise > 0) {
            PacketFate d = f.firstDroppedOtherwise();
            reasons.add(f.droppedOtherwise + " INVALID " + plural(f.droppedOtherwise, "packet")
                    + (f.droppedOtherwise == 1 ? " was" : " were") + " dropped on the way, not by a rule (first at "
                    + at(d) + ": " + d.dropDetail() + ")");
        }
        if (f.deliveredIgnored > 0
                && (f.firstIgnored() == null || !f.firstIgnored().injected())) {
            PacketFate g = f.firstIgnored();
            reasons.add("kernel " + c.kernel() + " ignored " + f.deliveredIgnored + " out-of-window "
                    + plural(f.deliveredIgnored, "packet") + ": " + (f.deliveredIgnored == 1 ? "it" : "they")
                    + " kept " + (f.deliveredIgnored == 1 ? "its" : "their") + " conntrack and reverse NAT"
                    + (g == null ? "" : " (first at " + at(g) + ": \"" + g.reason() + "\")")
                    + " - 6.1+ ignores lower-bound failures");
        }
        if (f.deliveredInvalid > 0
                && (f.firstDeliveredInvalid() == null
                        || !f.firstDeliveredInvalid().injected())) {
            PacketFate v = f.firstDeliveredInvalid();
            reasons.add(f.deliveredInvalid + " INVALID " + plural(f.deliveredInvalid, "packet")
                    + " reached a pod without NAT, but none reset a connection"
                    + (v == null || v.reaction() == null
                            ? ""
                            : " (first at " + at(v) + "; the pod: " + v.reaction() + ")"));
        }
        if (f.invalidThenTracked > 0 && f.firstInvalidThenTracked != null && f.droppedInvalid == 0) {
            reasons.add(f.invalidThenTracked + " " + plural(f.invalidThenTracked, "packet")
                    + " INVALID at one node (first at " + f.firstInvalidThenTracked + ") went on untracked and"
                    + " un-NATed, and the next node's conntrack tracked them: no rule drops INVALID packets here"
                    + (c.beLiberal()
                            ? " (be_liberal relaxes only the window checks, so a half-seen connection stays INVALID;"
                                    + " with it kube-proxy 1.29+ writes no INVALID drop, kubernetes PR 120412)"
                            : ""));
        }
        if (reasons.isEmpty()) {
            if (c.beLiberal()) {
                reasons.add("nf_conntrack_tcp_be_liberal=1: conntrack marked " + m.invalid()
                        + " packets INVALID, so every reply kept its reverse NAT");
            } else if (m.invalid() == 0) {
                reasons.add("no packet fell outside conntrack's window: nothing was INVALID");
            } else {
                reasons.add(m.invalid() + " INVALID packets, none of them a reply that needed reverse NAT");
            }
        }
        account(m, f, reasons);
        String verdict = f.droppedInvalid > 0 && m.completed() < m.connections()
                ? "NO RESET, but " + (m.connections() - m.completed()) + " of " + m.connections() + " "
                        + plural(m.connections(), "connection") + " did not complete: INVALID packets were dropped"
                : "NO RESET: every connection survived";
        return new Diagnosis(false, verdict, reasons, List.of());
    }

    /** Whether conntrack's words say the state table refused the packet ({@code tcp_conntracks} gave sIV). */
    private static boolean halfSeen(String reason) {
        return reason != null && reason.contains(" invalid, state ");
    }

    /**
     * What the forward path's INVALID drop did about a segment that went to INPUT instead: iptables
     * kube-proxy's sits in KUBE-FORWARD, nftables kube-proxy 1.29's in its {@code forward} chain, and
     * nftables 1.30+ writes none (PR 122663).
     */
    private static String hostPathDrop(RunContext c) {
        boolean iptables = c.kubeProxy().startsWith("iptables");
        if (c.dropInvalid()) {
            return (iptables ? "KUBE-FORWARD's INVALID drop" : "the forward chain's 'ct state invalid drop'")
                    + " never saw it (kubernetes issue 117924)";
        }
        return (iptables
                        ? "an INVALID drop in KUBE-FORWARD would not have seen it either"
                        : "nftables kube-proxy's forward chain would not have seen it either, had it an INVALID drop")
                + " (kubernetes issue 117924)";
    }

    /** KUBE-FORWARD, or in nftables mode the rule {@code ct state invalid drop}. */
    private static String dropper(PacketFate p) {
        return p.dropDetail() != null && p.dropDetail().contains("ct state invalid drop")
                ? "the nftables rule 'ct state invalid drop'"
                : "KUBE-FORWARD";
    }

    private static String injected(RunContext c, PacketFate p) {
        String what = "the forged segment from " + p.sender();
        if (p.dropped() && FateCounter.byRule(p.dropDetail())) {
            return dropper(p) + " dropped 1 INVALID packet before it reached the client: " + what + " at " + at(p)
                    + " (\"" + p.reason() + "\"; " + p.dropDetail() + ")";
        }
        if (p.dropped()) {
            return what + " never reached the client: " + at(p) + " dropped it (" + p.dropDetail() + ")";
        }
        String reaction = p.reaction() == null ? "" : "; the client's TCP: " + p.reaction();
        if (p.ignored()) {
            return "kernel " + c.kernel() + " ignored " + what + " at " + at(p) + " (\"" + p.reason()
                    + "\"): it kept its conntrack and was reverse-NATed (" + HopText.natOrNone(p.nat())
                    + ") - 6.1+ ignores lower-bound failures" + reaction;
        }
        if (p.invalid()) {
            return what + " was INVALID at " + at(p) + " (\"" + p.reason() + "\") and reached the client"
                    + " without NAT, yet no connection was reset" + reaction;
        }
        if (c.beLiberal()) {
            return "be_liberal accepted " + what + " (no INVALID): at " + at(p) + " it was " + p.state() + " and "
                    + HopText.natOrNone(p.nat()) + reaction;
        }
        return what + " was " + p.state() + " at " + at(p) + " (" + HopText.natOrNone(p.nat()) + ")" + reaction;
    }

    private static String at(PacketFate p) {
        return p.node() + " " + HopText.time(p.timeNanos());
    }

    static String plural(long n, String word) {
        return n == 1 ? word : word + "s";
    }
}
