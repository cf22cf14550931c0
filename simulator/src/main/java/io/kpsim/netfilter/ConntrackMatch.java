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
 * @param entry the tests on the entry's tuples and status ({@link CtEntryTests#NONE} when none)
 */
public record ConntrackMatch(int stateMask, boolean stateNegated, CtDir dir, CtEntryTests entry) implements Match {

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
        if (entry == null) {
            entry = CtEntryTests.NONE;
        }
        if (stateMask == 0 && dir == null && entry.given() == 0) {
            throw new IllegalArgumentException("-m conntrack needs at least one option");
        }
    }

    /** State and direction only (kube-proxy's form). */
    public ConntrackMatch(int stateMask, boolean stateNegated, CtDir dir) {
        this(stateMask, stateNegated, dir, CtEntryTests.NONE);
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
        if (dir != null && skb.ctDir() != dir) {
            return false;
        }
        return entry.given() == 0 || entry.matches(skb);
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
        entry.save(out);
        if (dir != null) {
            out.append(" --ctdir ").append(dir.name());
        }
    }

    /** Reads {@code -m conntrack}'s options ({@code libxt_conntrack}, revision 3). */
    static final class Options extends ModuleBuilder {
        private int stateMask;
        private boolean stateNegated;
        private CtDir dir;
        private CtEntryTests entry = CtEntryTests.NONE;

        @Override
        String name() {
            return "conntrack";
        }

        @Override
        boolean accepts(String option) {
            return switch (option) {
                case "--ctstate", "--ctdir", "--ctstatus" -> true;
                default ->
                    java.util.Arrays.asList(CtEntryTests.ADDRESS_OPTIONS).contains(option)
                            || java.util.Arrays.asList(CtEntryTests.PORT_OPTIONS)
                                    .contains(option);
            };
        }

        @Override
        void option(String option, boolean negated, RuleWords words, RuleSoFar rule) {
            String v = words.value(option);
            switch (option) {
                case "--ctstate" -> {
                    int mask = 0;
                    for (String st : v.split(",", -1)) {
                        mask |= stateBit(st);
                    }
                    stateMask = mask;
                    stateNegated = negated;
                }
                case "--ctdir" -> {
                    noNegate(negated, option);
                    if (!v.equals("ORIGINAL") && !v.equals("REPLY")) {
                        throw new IllegalArgumentException("--ctdir '" + v + "' (expected ORIGINAL or REPLY)");
                    }
                    dir = CtDir.valueOf(v);
                }
                case "--ctstatus" -> entry = entry.withStatus(CtEntryTests.statusBits(v), negated);
                default -> {
                    int a = java.util.Arrays.asList(CtEntryTests.ADDRESS_OPTIONS)
                            .indexOf(option);
                    if (a >= 0) {
                        io.kpsim.packet.Cidr c = RuleWords.cidr(v, option);
                        entry = entry.withAddress(a, c.network(), io.kpsim.packet.Ip4.mask(c.prefixLength()), negated);
                    } else {
                        int p = java.util.Arrays.asList(CtEntryTests.PORT_OPTIONS)
                                .indexOf(option);
                        int[] r = RuleWords.portRange(v, option);
                        entry = entry.withPort(p, r[0], r[1], negated);
                    }
                }
            }
        }

        @Override
        Match build(RuleSoFar rule) {
            return new ConntrackMatch(stateMask, stateNegated, dir, entry);
        }
    }
}
