package io.kpsim.netfilter;

import io.kpsim.conntrack.CtState;

/**
 * {@code -m state [!] --state LIST}: the packet's conntrack state, as {@code state_mt()} in
 * {@code net/netfilter/xt_state.c} computes it (UNTRACKED after NOTRACK, INVALID without a
 * conntrack, else the bit of {@code ctinfo}); unlike {@code -m conntrack --ctstate} it has no
 * virtual SNAT/DNAT states. iptables 1.8 loads it as an alias of {@code conntrack}, and
 * {@code iptables-save} prints it back as {@code -m state --state ...}.
 *
 * @param stateMask the {@link ConntrackMatch} state bits (INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED)
 * @param negated {@code !}
 */
public record StateMatch(int stateMask, boolean negated) implements Match {

    /** Validates the mask. */
    public StateMatch {
        if (stateMask == 0 || (stateMask & (ConntrackMatch.SNAT | ConntrackMatch.DNAT)) != 0) {
            throw new IllegalArgumentException(
                    "--state takes INVALID, NEW, RELATED, ESTABLISHED and UNTRACKED (SNAT and DNAT are --ctstate's)");
        }
    }

    @Override
    public boolean matches(Skb skb) {
        CtState state = skb.ctState();
        return ((stateMask & ConntrackMatch.stateBit(state)) != 0) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        // the same words and order as --ctstate
        StringBuilder states = new StringBuilder();
        new ConntrackMatch(stateMask, false, null).save(states);
        out.append(" -m state").append(negated ? " ! --state " : " --state ");
        out.append(states, states.indexOf("--ctstate ") + "--ctstate ".length(), states.length());
    }

    /** Reads {@code -m state --state LIST}. */
    static final class Options extends ModuleBuilder {
        private int mask;
        private boolean negated;

        @Override
        String name() {
            return "state";
        }

        @Override
        boolean accepts(String option) {
            return option.equals("--state");
        }

        @Override
        void option(String option, boolean neg, RuleWords words, RuleSoFar rule) {
            int m = 0;
            for (String s : words.value(option).split(",", -1)) {
                m |= ConntrackMatch.stateBit(s);
            }
            mask = m;
            negated = neg;
        }

        @Override
        Match build(RuleSoFar rule) {
            if (mask == 0) {
                throw new IllegalArgumentException("-m state needs --state");
            }
            return new StateMatch(mask, negated);
        }
    }
}
