package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.Hook;
import io.kpsim.netfilter.HookContext;
import io.kpsim.netfilter.HookProgram;
import io.kpsim.netfilter.Policy;
import io.kpsim.netfilter.TraceStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One base chain registered at its hook, run as {@code nft_do_chain()} runs it
 * ({@code net/netfilter/nf_tables_core.c}): each rule's statements in order until one breaks the
 * rule or sets a verdict; {@code accept} and {@code drop} end the walk (an accept ends only this
 * base chain: the hook goes on with the next program); {@code jump} pushes the next rule onto the
 * jump stack, {@code goto} does not; {@code return}, or reaching the end of a chain, pops the
 * stack, and with the stack empty the base chain's policy decides. {@code continue} lets the
 * rule go on. A stack deeper than {@code NFT_JUMP_STACK_SIZE} (16) drops the packet.
 */
final class BaseChainProgram implements HookProgram {

    /** {@code NFT_JUMP_STACK_SIZE}. */
    static final int JUMP_STACK_SIZE = 16;

    private final NftTable table;
    private final NftChain base;
    private final Map<String, NftChain> chains = new HashMap<>();
    private final EvalContext ctx;
    private final NftChain[] stackChain = new NftChain[JUMP_STACK_SIZE];
    private final int[] stackRule = new int[JUMP_STACK_SIZE];
    /** Whether the last {@link #runRule} ran all statements without a verdict (for the trace). */
    private boolean completed;

    BaseChainProgram(NftTable table, NftChain base, NftEngine.State state) {
        this.table = table;
        this.base = base;
        for (NftChain c : table.chains()) {
            chains.put(c.name(), c);
        }
        this.ctx = new EvalContext(state);
    }

    @Override
    public Hook hook() {
        return base.base().hook();
    }

    @Override
    public int priority() {
        return base.base().priority();
    }

    @Override
    public boolean nat() {
        return base.base().type() == ChainType.NAT;
    }

    @Override
    public boolean trivial() {
        return base.rules().isEmpty() && base.base().policy() == Policy.ACCEPT;
    }

    @Override
    public String label() {
        return table.label();
    }

    @Override
    public boolean run(HookContext context) {
        ctx.start(context, table);
        NftChain chain = base;
        int depth = 0;
        int r = 0;
        while (true) {
            if (r >= chain.rules().size()) {
                if (depth == 0) {
                    return policy(context);
                }
                depth--;
                chain = stackChain[depth];
                r = stackRule[depth];
                continue;
            }
            NftRule rule = chain.rules().get(r);
            Verdict v = runRule(rule);
            if (v == null) {
                if (completed && context.trace() != null) {
                    record(context, chain, depth, r, rule, "matched");
                }
                r++;
                continue;
            }
            if (context.trace() != null) {
                record(context, chain, depth, r, rule, v.toString());
            }
            switch (v.kind()) {
                case ACCEPT -> {
                    if (!nat()) {
                        context.decidedBy(ref(chain, r, rule));
                    }
                    return true;
                }
                case DROP -> {
                    context.decidedBy(ref(chain, r, rule));
                    return false;
                }
                case CONTINUE -> r++;
                case RETURN -> {
                    if (depth == 0) {
                        return policy(context);
                    }
                    depth--;
                    chain = stackChain[depth];
                    r = stackRule[depth];
                }
                case JUMP, GOTO -> {
                    if (v.kind() == Verdict.Kind.JUMP) {
                        if (depth >= JUMP_STACK_SIZE) {
                            context.decidedBy(ref(chain, r, rule));
                            return false;
                        }
                        stackChain[depth] = chain;
                        stackRule[depth] = r + 1;
                        depth++;
                    }
                    chain = chains.get(v.chain());
                    r = 0;
                }
            }
        }
    }

    /** The rule's statements in order: the verdict it set, or {@code null} when it broke or ended without one. */
    private Verdict runRule(NftRule rule) {
        completed = false;
        List<Statement> statements = rule.statements();
        for (int i = 0; i < statements.size(); i++) {
            int result = statements.get(i).execute(ctx);
            if (result == Statement.BREAK) {
                return null;
            }
            if (result == Statement.VERDICT) {
                Verdict v = ctx.verdict();
                if (v.kind() != Verdict.Kind.CONTINUE) {
                    return v;
                }
            }
        }
        completed = true;
        return null;
    }

    private boolean policy(HookContext context) {
        Policy p = base.base().policy();
        if (context.trace() != null) {
            context.trace()
                    .add(new TraceStep(
                            hook(),
                            table.label(),
                            List.of(base.name()),
                            0,
                            null,
                            "policy " + (p == Policy.ACCEPT ? "accept" : "drop")));
        }
        if (p == Policy.DROP || !nat()) {
            context.decidedBy(
                    new NftRuleRef(table.label(), base.name(), 0, null, p == Policy.ACCEPT ? "accept" : "drop"));
        }
        return p == Policy.ACCEPT;
    }

    private NftRuleRef ref(NftChain chain, int r, NftRule rule) {
        return new NftRuleRef(table.label(), chain.name(), r + 1, rule.text(table.family()), null);
    }

    private void record(HookContext context, NftChain chain, int depth, int r, NftRule rule, String action) {
        List<String> path = new ArrayList<>(depth + 2);
        if (depth == 0 ? chain != base : stackChain[0] != base) {
            path.add(base.name());
        }
        for (int i = 0; i < depth; i++) {
            path.add(stackChain[i].name());
        }
        path.add(chain.name());
        context.trace().add(new TraceStep(hook(), table.label(), path, r + 1, rule.text(table.family()), action));
    }

    @Override
    public String toString() {
        return table.label() + " " + base.name() + " (" + base.base() + ")";
    }
}
