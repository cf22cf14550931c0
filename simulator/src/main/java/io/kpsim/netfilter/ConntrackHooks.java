package io.kpsim.netfilter;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtReason;
import io.kpsim.conntrack.CtResult;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.LoggedReason;
import io.kpsim.conntrack.PackedResult;
import io.kpsim.conntrack.Status;
import java.util.List;
import java.util.function.Supplier;

/**
 * Conntrack's part of one {@link Walk}: the functions conntrack registers at the hooks and what they
 * left on the packet. {@link #in} is {@code ipv4_conntrack_in()} calling {@code nf_conntrack_in()}
 * (PREROUTING and OUTPUT), {@link #confirm} is {@code ipv4_confirm()} calling
 * {@code nf_conntrack_confirm()} (INPUT and POSTROUTING), {@link #attachReply} is
 * {@code nf_ct_attach()} for a reject's reply (net/netfilter/nf_conntrack_proto.c,
 * nf_conntrack_core.c).
 *
 * <p>It lives apart from the walk so that the walk reads as {@code nf_hook_slow()} alone: the
 * running verdict there, conntrack's verdict here. Like the walk it is reused for every packet and
 * allocates nothing unless tracing; the verdict is the packed int of {@link PackedResult} with a
 * copy of the {@link LoggedReason}, and the {@link CtResult} record is built only on demand.
 */
final class ConntrackHooks {

    /** The kernel's prefix of conntrack's own log lines, left out of a drop reason. */
    private static final String KERNEL_PREFIX = "nf_conntrack: ";

    private final Conntrack conntrack;

    private boolean seen;
    private int packed;
    private final LoggedReason reason = new LoggedReason();
    private CtResult result;
    /** A reply of a reject, its conntrack attached before OUTPUT: no lookup, no confirmation of the rejected one. */
    private boolean reply;
    /** A ctstate a tracer gives the packet instead of asking conntrack ({@code kpsim trace --ctstate}), or null. */
    private CtState given;

    ConntrackHooks(Conntrack conntrack) {
        this.conntrack = conntrack;
    }

    /** Forgets the previous packet's verdict. */
    void reset() {
        seen = false;
        packed = PackedResult.INVALID;
        reason.clear();
        result = null;
        given = null;
        reply = false;
    }

    /**
     * {@code nf_ct_attach()}: a reject's reply carries {@code entry}'s conntrack as RELATED in
     * direction {@code dir}, or none ({@link Conntrack#NO_ENTRY}: it is looked up at OUTPUT).
     */
    void attachReply(Skb skb, int entry, CtDir dir) {
        reply = entry != Conntrack.NO_ENTRY;
        if (reply) {
            seen = true;
            packed = PackedResult.INVALID;
            skb.attach(CtState.RELATED, dir, entry);
        }
    }

    /** Gives the packet {@code state} at the conntrack hook instead of a lookup. */
    void give(CtState state) {
        this.given = state;
    }

    /** Whether the packet reached a conntrack hook (or had its conntrack attached). */
    boolean seen() {
        return seen;
    }

    /** Whether the packet is a reject's reply with its conntrack attached. */
    boolean reply() {
        return reply;
    }

    /** The ctstate conntrack gave the packet, or {@code null} before conntrack. */
    CtState state() {
        return seen ? (reply ? CtState.RELATED : PackedResult.state(packed)) : null;
    }

    /** Whether {@code __nf_conntrack_alloc()} found the table full and the packet was dropped. */
    boolean tableFull() {
        return seen && PackedResult.dropped(packed) && reason.code() == CtReason.TABLE_FULL;
    }

    /** Whether conntrack ignored the packet (IGNORE: kept its conntrack, nothing updated). */
    boolean ignored() {
        return seen && !reply && PackedResult.ignored(packed);
    }

    /** Conntrack's verdict for a snapshot, or {@code null} when conntrack did not look the packet up. */
    CtResult snapshot() {
        return seen && !reply ? verdict() : null;
    }

    /** {@link #snapshot()}'s verdict packed, or {@link Walk#CT_NOT_SEEN} where it is {@code null}. */
    int packedSnapshot() {
        return seen && !reply ? packed : Walk.CT_NOT_SEEN;
    }

    /** {@link #snapshot()}'s reason, or {@code null} where the snapshot is {@code null}. */
    String reasonText() {
        return seen && !reply ? (result != null ? result.reason() : reason.described()) : null;
    }

    /** Conntrack's verdict as a record, built on first use. */
    private CtResult verdict() {
        if (result == null) {
            result = CtResult.fromPacked(packed, reason.described());
        }
        return result;
    }

    /**
     * {@code nf_conntrack_in()}, or UNTRACKED after the raw table's NOTRACK, or the given state;
     * nothing for a reject's reply.
     *
     * @return why conntrack dropped the packet, or {@code null} when it goes on
     */
    String in(Hook h, Skb skb, boolean checksumValid, long now, List<TraceStep> trace) {
        if (reply) {
            return null;
        }
        seen = true;
        if (given != null && !skb.notrack()) {
            attachGiven(h, skb, trace);
            return null;
        }
        if (skb.notrack()) {
            packed = PackedResult.UNTRACKED;
            conntrack.untracked(); // up to 5.4 the ignore counter counts it
        } else {
            conntrack.templateZone(skb.ctZone());
            packed = conntrack.inPacked(skb.packet(), checksumValid, now);
            reason.copyFrom(conntrack.lastReason());
        }
        if (trace != null) {
            // the verdict's words from its packed form, made when read: no CtResult and no lambda per packet
            trace.add(TraceStep.note(h, "conntrack", new Seen(packed, reason.described(), skb.ctZone())));
        }
        if (PackedResult.dropped(packed)) {
            String why = reason.described();
            // a prefix test, not replaceFirst(): a regex compiled per dropped packet was 4% of a
            // replay whose table is full (src/docs/benchmarks.md section 3, session 9)
            return "conntrack: "
                    + (why == null
                            ? "dropped"
                            : why.startsWith(KERNEL_PREFIX) ? why.substring(KERNEL_PREFIX.length()) : why);
        }
        skb.attach(PackedResult.state(packed), PackedResult.direction(packed), PackedResult.entry(packed));
        return null;
    }

    /** The conntrack hook of a packet whose state the tracer gave: no lookup, no entry. */
    private void attachGiven(Hook h, Skb skb, List<TraceStep> trace) {
        int kind = switch (given) {
            case NEW -> PackedResult.NEW;
            case ESTABLISHED -> PackedResult.ESTABLISHED;
            case RELATED -> PackedResult.RELATED;
            case UNTRACKED -> PackedResult.UNTRACKED;
            case INVALID -> PackedResult.INVALID;
        };
        boolean tracked = kind == PackedResult.ESTABLISHED || kind == PackedResult.RELATED;
        packed = PackedResult.of(kind, tracked ? 1 : 0, Conntrack.NO_ENTRY, false);
        CtDir dir = tracked ? CtDir.REPLY : null;
        skb.attach(given, dir, Conntrack.NO_ENTRY);
        if (trace != null) {
            String words = given + (dir == null ? "" : " " + dir) + " (given, no conntrack entry: no NAT binding)";
            trace.add(TraceStep.note(h, "conntrack", words));
        }
    }

    /**
     * {@code nf_conntrack_confirm()}: inserts the packet's new conntrack into the table; a clash
     * the kernel resolves attaches the winner ({@code nf_ct_set(skb, winner)}).
     *
     * @return why the packet was dropped (an unresolved clash), or {@code null} when it goes on
     */
    String confirm(Hook h, Skb skb, long now, List<TraceStep> trace) {
        int entry = skb.ctEntry();
        if (entry == Conntrack.NO_ENTRY || (reply && skb.ctDir() != CtDir.ORIGINAL)) {
            return null;
        }
        int kept = conntrack.confirmEntry(entry, now);
        if (kept != Conntrack.NO_ENTRY && kept != entry) {
            skb.attach(skb.ctState(), skb.ctDir(), kept); // a resolved clash: nf_ct_set(skb, winner)
        }
        if (kept == Conntrack.NO_ENTRY) {
            skb.attach(skb.ctState(), skb.ctDir(), Conntrack.NO_ENTRY); // freed with the packet
            String why = "conntrack: insert clash at confirm (insert_failed)";
            if (trace != null) {
                trace.add(TraceStep.note(h, "conntrack", why));
            }
            return why;
        }
        return null;
    }

    /** A dropped packet frees its unconfirmed conntrack with the skb ({@code nf_conntrack_destroy()}). */
    void discardUnconfirmed(Skb skb) {
        int entry = skb.ctEntry();
        if (!reply && entry != Conntrack.NO_ENTRY && (conntrack.status(entry) & Status.CONFIRMED) == 0) {
            conntrack.discardUnconfirmed(entry);
        }
    }

    /**
     * The words of conntrack's verdict on one packet ({@code packed}, a {@link PackedResult}, with the
     * kernel's {@code reason} and the template's {@code zone}), formatted when the step is read.
     */
    private record Seen(int packed, String reason, int zone) implements Supplier<String> {
        @Override
        public String get() {
            return describe(CtResult.fromPacked(packed, reason)) + (zone != 0 ? " zone=" + zone : "");
        }
    }

    private static String describe(CtResult ct) {
        StringBuilder s = new StringBuilder().append(ct.state());
        if (ct.dir() != null) {
            s.append(' ').append(ct.dir());
        }
        if (ct.tracked()) {
            s.append(" (entry ").append(ct.entry()).append(')');
        }
        if (ct.ignored()) {
            s.append(", ignored");
        }
        if (ct.reason() != null) {
            s.append(": ").append(ct.reason());
        }
        if (ct.verdict() == CtResult.Verdict.DROP) {
            s.append(", DROP");
        }
        return s.toString();
    }
}
