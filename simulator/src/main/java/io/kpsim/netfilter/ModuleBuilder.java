package io.kpsim.netfilter;

import io.kpsim.conntrack.CtDir;
import io.kpsim.packet.Protocol;

/**
 * A match module while its options are being read ({@code -m conntrack} then {@code --ctstate},
 * {@code --ctdir}, ...): {@link RuleParser} fills it and builds the immutable {@link Match} at the
 * end of the rule, as iptables' {@code xtables_option_mfcall()} finalizes each module.
 */
abstract sealed class ModuleBuilder {

    /** The finished match. */
    abstract Match build();

    /** {@code -m tcp} / {@code -m udp}. */
    static final class Ports extends ModuleBuilder {
        PortMatch match;

        Ports(Protocol protocol) {
            this.match = PortMatch.any(protocol);
        }

        @Override
        Match build() {
            return match;
        }
    }

    /** {@code -m conntrack}. */
    static final class Conntrack extends ModuleBuilder {
        int stateMask;
        boolean stateNegated;
        CtDir dir;

        @Override
        Match build() {
            return new ConntrackMatch(stateMask, stateNegated, dir);
        }
    }

    /** {@code -m mark}. */
    static final class Mark extends ModuleBuilder {
        int value;
        int mask = -1;
        boolean negated;
        boolean given;

        @Override
        Match build() {
            if (!given) {
                throw new IllegalArgumentException("-m mark needs --mark");
            }
            return new MarkMatch(value, mask, negated);
        }
    }

    /** {@code -m statistic}. */
    static final class Statistic extends ModuleBuilder {
        boolean random;
        double probability = -1;
        boolean negated;

        @Override
        Match build() {
            if (!random || probability < 0) {
                throw new IllegalArgumentException("-m statistic needs --mode random --probability p");
            }
            return StatisticMatch.ofProbability(probability, negated);
        }
    }

    /** {@code -m comment}. */
    static final class Comment extends ModuleBuilder {
        String text;

        @Override
        Match build() {
            if (text == null) {
                throw new IllegalArgumentException("-m comment needs --comment");
            }
            return new CommentMatch(text);
        }
    }

    /** {@code -m addrtype}. */
    static final class AddrType extends ModuleBuilder {
        boolean negated;
        boolean given;

        @Override
        Match build() {
            if (!given) {
                throw new IllegalArgumentException("-m addrtype needs --dst-type LOCAL");
            }
            return new AddrTypeMatch(negated);
        }
    }

    /** {@code -m multiport}: exactly one of {@code --sports}, {@code --dports}, {@code --ports}. */
    static final class Multiport extends ModuleBuilder {
        MultiportMatch match;

        @Override
        Match build() {
            if (match == null) {
                throw new IllegalArgumentException("multiport needs one of --sports, --dports or --ports");
            }
            return match;
        }
    }

    /** {@code -m icmp}: {@code --icmp-type} is required. */
    static final class Icmp extends ModuleBuilder {
        IcmpMatch match;

        @Override
        Match build() {
            if (match == null) {
                throw new IllegalArgumentException("icmp: option \"--icmp-type\" must be specified");
            }
            return match;
        }
    }

    /** {@code -m nfacct}. */
    static final class Nfacct extends ModuleBuilder {
        String name;

        @Override
        Match build() {
            if (name == null) {
                throw new IllegalArgumentException("-m nfacct needs --nfacct-name");
            }
            return new NfacctMatch(name);
        }
    }
}
