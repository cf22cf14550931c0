package io.kpsim.netfilter;

/**
 * {@code -m addrtype [!] --dst-type LOCAL}: whether the destination is one of the node's own
 * addresses ({@code addrtype_mt_v1()} in {@code net/netfilter/xt_addrtype.c}). kube-proxy uses it
 * for the last rule of KUBE-SERVICES, the jump to KUBE-NODEPORTS.
 *
 * @param negated {@code !}
 */
public record AddrTypeMatch(boolean negated) implements Match {

    @Override
    public boolean matches(Skb skb) {
        return skb.isLocal(skb.packet().dstIp()) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m addrtype").append(negated ? " ! " : " ").append("--dst-type LOCAL");
    }

    /** Reads {@code -m addrtype [!] --dst-type LOCAL}. */
    static final class Options extends ModuleBuilder {
        private boolean negated;
        private boolean given;

        @Override
        String name() {
            return "addrtype";
        }

        @Override
        boolean accepts(String option) {
            return option.equals("--dst-type");
        }

        @Override
        void option(String option, boolean neg, RuleWords words, RuleSoFar rule) {
            String v = words.value(option);
            if (!v.equals("LOCAL")) {
                throw new IllegalArgumentException("-m addrtype: only --dst-type LOCAL is modelled, not " + v);
            }
            negated = neg;
            given = true;
        }

        @Override
        Match build(RuleSoFar rule) {
            if (!given) {
                throw new IllegalArgumentException("-m addrtype needs --dst-type LOCAL");
            }
            return new AddrTypeMatch(negated);
        }
    }
}
