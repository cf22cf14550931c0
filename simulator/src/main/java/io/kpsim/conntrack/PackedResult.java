package io.kpsim.conntrack;

/**
 * The allocation-free form of a {@link CtResult}, the one the datapath carries: one int with what
 * {@code nf_ct_set()} puts in the skb ({@code ct | ctinfo}) plus the verdict and the IGNORE mark.
 * The reason travels beside it as a {@link LoggedReason}.
 *
 * <pre>
 *  bits 0-2  kind: 0 INVALID, 1 NEW, 2 ESTABLISHED, 3 RELATED, 4 DROP, 5 UNTRACKED
 *  bit  3    direction (1 = REPLY)
 *  bit  4    ignored
 *  bits 5-31 entry + 1 (0 = no entry)
 * </pre>
 */
public final class PackedResult {

    /** No conntrack attached. */
    public static final int INVALID = 0;
    /** {@code IP_CT_NEW}. */
    public static final int NEW = 1;
    /** {@code IP_CT_ESTABLISHED(_REPLY)}. */
    public static final int ESTABLISHED = 2;
    /** {@code IP_CT_RELATED(_REPLY)}. */
    public static final int RELATED = 3;
    /** Conntrack dropped the packet ({@code NF_DROP}). */
    public static final int DROP = 4;
    /** {@code IP_CT_UNTRACKED}: the raw table's {@code NOTRACK} ran, conntrack never saw the packet. */
    public static final int UNTRACKED = 5;

    private PackedResult() {}

    /** Packs a result. */
    public static int of(int kind, int dir, int entry, boolean ignored) {
        return kind | (dir << 3) | (ignored ? 1 << 4 : 0) | ((entry + 1) << 5);
    }

    /** The kind (bits 0-2). */
    public static int kind(int packed) {
        return packed & 7;
    }

    /** 0 for ORIGINAL, 1 for REPLY. */
    public static int dir(int packed) {
        return (packed >>> 3) & 1;
    }

    /** Whether the tracker ignored the packet. */
    public static boolean ignored(int packed) {
        return (packed & (1 << 4)) != 0;
    }

    /** The entry, or {@link Conntrack#NO_ENTRY}. */
    public static int entry(int packed) {
        return (packed >>> 5) - 1;
    }

    /** Whether conntrack dropped the packet. */
    public static boolean dropped(int packed) {
        return kind(packed) == DROP;
    }

    /** Whether a conntrack entry is attached (NEW, ESTABLISHED or RELATED). */
    public static boolean tracked(int packed) {
        int kind = kind(packed);
        return kind == NEW || kind == ESTABLISHED || kind == RELATED;
    }

    /**
     * The ctstate {@code -m conntrack} sees: INVALID for a packet without conntrack or dropped,
     * UNTRACKED after {@code NOTRACK}.
     */
    public static CtState state(int packed) {
        return switch (kind(packed)) {
            case NEW -> CtState.NEW;
            case ESTABLISHED -> CtState.ESTABLISHED;
            case RELATED -> CtState.RELATED;
            case UNTRACKED -> CtState.UNTRACKED;
            default -> CtState.INVALID;
        };
    }

    /** The direction relative to the attached conntrack, {@code null} without one. */
    public static CtDir direction(int packed) {
        if (!tracked(packed)) {
            return null;
        }
        return dir(packed) == 1 ? CtDir.REPLY : CtDir.ORIGINAL;
    }
}
