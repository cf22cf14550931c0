package io.kpsim.netfilter;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Status;

/**
 * {@code -m conntrack [!] --ctstate LIST [--ctdir ORIGINAL|REPLY]}, evaluated as
 * {@code conntrack_mt()} in {@code net/netfilter/xt_conntrack.c}: the state bit comes from the
 * packet's {@code ctinfo}, INVALID when no conntrack is attached, UNTRACKED after {@code NOTRACK};
 * the virtual states SNAT and DNAT from the entry's {@code IPS_SRC_NAT}/{@code IPS_DST_NAT}. A
 * packet without a conntrack matches only when a {@code --ctstate} was given and passed, so
 * {@code --ctdir} alone never matches an INVALID packet.
 *
 * @param stateMask the {@code --ctstate} bits ({@link #INVALID}, {@link #NEW}, ...), 0 when absent
 * @param stateNegated {@code ! --ctstate}
 * @param dir the {@code --ctdir}, or {@code null} when absent
 */
public record ConntrackMatch(int stateMask, boolean stateNegated, CtDir dir) implements Match {

    /** {@code XT_CONNTRACK_STATE_INVALID}. */
    public static final int INVALID = 1;
    /** Established, in either direction. */
    public static final int ESTABLISHED = 1 << 1;
    /** Related (ICMP errors, expectations). */
    public static final int RELATED = 1 << 2;
    /** New. */
    public static final int NEW = 1 << 3;
    /** The virtual state: the entry has {@code IPS_SRC_NAT}. */
    public static final int SNAT = 1 << 6;
    /** The virtual state: the entry has {@code IPS_DST_NAT}. */
    public static final int DNAT = 1 << 7;
    /** {@code XT_CONNTRACK_STATE_UNTRACKED}. */
    public static final int UNTRACKED = 1 << 8;

    private static final int[] SAVE_ORDER = {INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED, SNAT, DNAT};
    private static final String[] SAVE_NAMES = {"INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"
    };

    /** Validates that something is matched. */
    public ConntrackMatch {
        if (stateMask == 0 && dir == null) {
            throw new IllegalArgumentException("-m conntrack needs --ctstate or --ctdir");
        }
    }

    /** The bit of a state name as {@code --ctstate} spells it. */
    public static int stateBit(String name) {
        for (int i = 0; i < SAVE_NAMES.length; i++) {
            if (SAVE_NAMES[i].equals(name)) {
                return SAVE_ORDER[i];
            }
        }
        throw new IllegalArgumentException("unknown ctstate '" + name
                + "' (expected INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED, SNAT or DNAT)");
    }

    /** The state bit the packet carries ({@code XT_CONNTRACK_STATE_BIT(ctinfo)}). */
    static int stateBit(CtState state) {
        return switch (state) {
            case NEW -> NEW;
            case ESTABLISHED -> ESTABLISHED;
            case RELATED -> RELATED;
            case INVALID -> INVALID;
            case UNTRACKED -> UNTRACKED;
        };
    }

    @Override
    public boolean matches(Skb skb) {
        CtState state = skb.ctState();
        boolean tracked = state != CtState.INVALID && state != CtState.UNTRACKED;
        if (stateMask != 0) {
            int statebit = stateBit(state);
            if (tracked && (stateMask & (SNAT | DNAT)) != 0) {
                // the virtual bits can only change the outcome when the mask names them
                int status = skb.ctStatus();
                if ((status & Status.SRC_NAT) != 0) {
                    statebit |= SNAT;
                }
                if ((status & Status.DST_NAT) != 0) {
                    statebit |= DNAT;
                }
            }
            if (((stateMask & statebit) != 0) == stateNegated) {
                return false;
            }
        }
        if (!tracked) {
            return stateMask != 0;
        }
        return dir == null || skb.ctDir() == dir;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m conntrack");
        if (stateMask != 0) {
            out.append(stateNegated ? " ! --ctstate " : " --ctstate ");
            boolean first = true;
            for (int i = 0; i < SAVE_ORDER.length; i++) {
                if ((stateMask & SAVE_ORDER[i]) != 0) {
                    out.append(first ? "" : ",").append(SAVE_NAMES[i]);
                    first = false;
                }
            }
        }
        if (dir != null) {
            out.append(" --ctdir ").append(dir.name());
        }
    }
}
