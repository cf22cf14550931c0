package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.Hook;
import io.kpsim.netfilter.HookContext;
import io.kpsim.netfilter.NatSetup;
import io.kpsim.netfilter.RejectWith;
import io.kpsim.netfilter.Skb;
import io.kpsim.netfilter.TraceStep;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.OtherTransport;
import io.kpsim.packet.Packet;
import java.util.List;

/**
 * What the statements of one base chain's walk read and change ({@code struct nft_pktinfo} and
 * {@code struct nft_regs}): the packet through the hook's context, the table's live sets, the
 * engine's counters, and the verdict register.
 */
final class EvalContext {

    private final NftEngine.State state;
    private HookContext hook;
    private NftTable table;
    private Verdict verdict;

    EvalContext(NftEngine.State state) {
        this.state = state;
    }

    /** Starts a walk of a chain of {@code t} for the packet in {@code context}. */
    void start(HookContext context, NftTable t) {
        this.hook = context;
        this.table = t;
        this.verdict = null;
    }

    Skb skb() {
        return hook.skb();
    }

    Packet packet() {
        return hook.skb().packet();
    }

    Hook hook() {
        return hook.hook();
    }

    NatSetup nat() {
        return hook.nat();
    }

    List<TraceStep> trace() {
        return hook.trace();
    }

    /** {@code pkt->tprot}: the layer-4 protocol number. */
    int l4proto() {
        Packet p = packet();
        return switch (p.protocol()) {
            case TCP, UDP, ICMP -> p.protocol().number();
            case OTHER -> ((OtherTransport) p.transport()).number();
        };
    }

    /** Whether the packet is an ICMP error (no reject answers one). */
    boolean isIcmpError() {
        IcmpMessage m = packet().icmp();
        return m != null && m.isError();
    }

    /** A {@code numgen random} draw. */
    int random(int modulus, NumgenExpr expr) {
        return hook.random().below(modulus, expr.text());
    }

    /** A {@code numgen inc} step. */
    int increment(NumgenExpr expr) {
        return state.increment(expr);
    }

    /** The element of the referenced set that {@code key} falls in, or {@code null}. */
    SetElement lookup(SetRef ref, Datum key) {
        LiveSet set = ref.name() != null ? state.named(table, ref.name()) : state.anonymous(ref.anonymous());
        return set.lookup(key, hook.now());
    }

    /** Runs a set update; false when the set is full. */
    boolean updateSet(SetUpdateStmt stmt, Datum key) {
        LiveSet set = state.named(table, stmt.set());
        long timeout = stmt.timeoutMillis() >= 0
                ? stmt.timeoutMillis()
                : set.declared().timeoutMillis();
        return set.add(key, stmt.update(), timeout < 0 ? -1 : timeout * 1_000_000L, hook.now());
    }

    void count(CounterStmt counter) {
        state.count(counter, packet().totalLength());
    }

    void setMark(int mark) {
        hook.skb().mark(mark);
    }

    void reject(RejectWith how) {
        hook.reject(how);
    }

    void verdict(Verdict v) {
        this.verdict = v;
    }

    Verdict verdict() {
        return verdict;
    }
}
