package io.kpsim.netfilter.nftables;

/**
 * An nf_tables verdict ({@code struct nft_verdict}, {@code nft_immediate}): the netfilter
 * verdicts {@code accept} and {@code drop} end the base chain's walk, {@code continue} goes on
 * with the next rule, {@code return} pops the jump stack, {@code jump} pushes it and enters a
 * chain, {@code goto} enters a chain without pushing ({@code nft_do_chain()} in
 * {@code net/netfilter/nf_tables_core.c}).
 *
 * @param kind which verdict
 * @param chain the target chain of a jump or goto, else {@code null}
 */
public record Verdict(Kind kind, String chain) {

    /** The verdict codes. */
    public enum Kind {
        /** {@code NF_ACCEPT}. */
        ACCEPT,
        /** {@code NF_DROP}. */
        DROP,
        /** {@code NFT_CONTINUE}. */
        CONTINUE,
        /** {@code NFT_RETURN}. */
        RETURN,
        /** {@code NFT_JUMP}. */
        JUMP,
        /** {@code NFT_GOTO}. */
        GOTO
    }

    /** {@code accept}. */
    public static final Verdict ACCEPT = new Verdict(Kind.ACCEPT, null);
    /** {@code drop}. */
    public static final Verdict DROP = new Verdict(Kind.DROP, null);
    /** {@code continue}. */
    public static final Verdict CONTINUE = new Verdict(Kind.CONTINUE, null);
    /** {@code return}. */
    public static final Verdict RETURN = new Verdict(Kind.RETURN, null);

    /** Validates that exactly jump and goto name a chain. */
    public Verdict {
        boolean needsChain = kind == Kind.JUMP || kind == Kind.GOTO;
        if (needsChain != (chain != null)) {
            throw new IllegalArgumentException(kind + (needsChain ? " needs a chain" : " takes no chain"));
        }
    }

    /** {@code jump chain}. */
    public static Verdict jump(String chain) {
        return new Verdict(Kind.JUMP, chain);
    }

    /** {@code goto chain}. */
    public static Verdict goTo(String chain) {
        return new Verdict(Kind.GOTO, chain);
    }

    /** As {@code nft list} prints it. */
    @Override
    public String toString() {
        return switch (kind) {
            case ACCEPT -> "accept";
            case DROP -> "drop";
            case CONTINUE -> "continue";
            case RETURN -> "return";
            case JUMP -> "jump " + chain;
            case GOTO -> "goto " + chain;
        };
    }
}
