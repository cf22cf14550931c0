package io.kpsim.conntrack;

/**
 * What {@code nf_conntrack_in()} decided for one packet: the conntrack attached to it (if any),
 * the state {@code --ctstate} will see, and the kernel's words when it refused or ignored it.
 *
 * @param state the ctstate the packet carries through the remaining hooks
 * @param dir the packet's direction relative to the attached conntrack; {@code null} when INVALID or UNTRACKED
 * @param entry the attached conntrack entry id, or {@link Conntrack#NO_ENTRY}
 * @param verdict ACCEPT, or DROP when conntrack itself dropped the packet (table full, clash, failed reopen)
 * @param reason the kernel's log text for an INVALID or IGNOREd packet (without the
 *               {@code nf_ct_proto_6: } prefix), or {@code null}
 * @param ignored true when the tracker returned IGNORE ({@code sIG} or a 6.1+ ignored window failure):
 *                the conntrack stays attached but neither state nor timeout changed
 */
public record CtResult(CtState state, CtDir dir, int entry, Verdict verdict, String reason, boolean ignored) {

    /** The netfilter verdicts conntrack can hand back. */
    public enum Verdict {
        /** {@code NF_ACCEPT}: the packet continues through the hooks. */
        ACCEPT,
        /** {@code NF_DROP}: the packet is gone. */
        DROP
    }

    /** Whether a conntrack entry is attached (so NAT applies). */
    public boolean tracked() {
        return entry != Conntrack.NO_ENTRY;
    }

    /**
     * Unpacks a {@link PackedResult} with the reason of the same packet, in the kernel's words
     * ({@link LoggedReason#words()}); this is where the datapath's packed form becomes a record.
     */
    public static CtResult fromPacked(int packed, String reason) {
        CtState state = PackedResult.state(packed);
        Verdict verdict = PackedResult.dropped(packed) ? Verdict.DROP : Verdict.ACCEPT;
        if (!PackedResult.tracked(packed)) {
            return new CtResult(state, null, Conntrack.NO_ENTRY, verdict, reason, false);
        }
        return new CtResult(
                state,
                PackedResult.direction(packed),
                PackedResult.entry(packed),
                verdict,
                reason,
                PackedResult.ignored(packed));
    }
}
