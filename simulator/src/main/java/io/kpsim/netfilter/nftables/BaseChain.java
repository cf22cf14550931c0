package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.Hook;
import io.kpsim.netfilter.Policy;

/**
 * What makes a chain a base chain: {@code type T hook H priority P; policy accept|drop;}
 * ({@code struct nft_base_chain}). The policy is the verdict when a packet reaches the end of the
 * chain, or returns from it.
 *
 * @param type filter, nat or route
 * @param hook the hook it is registered at
 * @param priority its priority there
 * @param policy its policy
 */
public record BaseChain(ChainType type, Hook hook, int priority, Policy policy) {

    /** Validates the combination as the kernel does. */
    public BaseChain {
        if (!type.allows(hook)) {
            throw new IllegalArgumentException("a " + type.keyword() + " chain cannot hook " + hookName(hook));
        }
    }

    /** {@code prerouting}, {@code input}, ... as written after {@code hook}. */
    static String hookName(Hook hook) {
        return switch (hook) {
            case PREROUTING -> "prerouting";
            case INPUT -> "input";
            case FORWARD -> "forward";
            case OUTPUT -> "output";
            case POSTROUTING -> "postrouting";
        };
    }

    /** The hook named {@code name}, or {@code null}. */
    static Hook hookByName(String name) {
        for (Hook h : Hook.values()) {
            if (hookName(h).equals(name)) {
                return h;
            }
        }
        return null;
    }

    /** E.g. {@code type nat hook prerouting priority dstnat; policy accept;}. */
    @Override
    public String toString() {
        return "type " + type.keyword() + " hook " + hookName(hook) + " priority " + Priority.format(priority, hook)
                + "; policy " + (policy == Policy.ACCEPT ? "accept" : "drop") + ";";
    }
}
