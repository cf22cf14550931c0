package io.kpsim.netfilter.nftables;

import java.util.ArrayList;
import java.util.List;

/** A chain while {@link NftParser} reads it: its base-chain header once given, its comment and rules. */
final class ChainDraft {
    final String name;
    final Token declared;
    BaseChain base;
    String comment;
    final List<NftRule> rules = new ArrayList<>();

    ChainDraft(String name, Token declared) {
        this.name = name;
        this.declared = declared;
    }
}
