package io.kpsim.netfilter.nftables;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.netfilter.DecidingRule;
import io.kpsim.netfilter.Hook;
import io.kpsim.netfilter.HookContext;
import io.kpsim.netfilter.HookProgram;
import io.kpsim.netfilter.NatSetup;
import io.kpsim.netfilter.RandomChoice;
import io.kpsim.netfilter.RejectWith;
import io.kpsim.netfilter.Skb;
import io.kpsim.netfilter.TraceStep;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A hook context for running nftables base chains without a node: the packet in an skb, local
 * addresses given by the test, NAT requests recorded (and granted), numgen draws taken from a
 * queue, the trace, the deciding rule and the reject kept for assertions.
 */
final class FakeHook implements HookContext, NatSetup, RandomChoice {

    final Skb skb;
    final List<String> nat = new ArrayList<>();
    final Deque<Integer> draws = new ArrayDeque<>();
    final List<String> drawnAt = new ArrayList<>();
    final List<TraceStep> trace = new ArrayList<>();
    Hook hook = Hook.FORWARD;
    DecidingRule decided;
    RejectWith rejected;
    long now;

    FakeHook(Packet packet, String in, String out, String... localAddresses) {
        List<Integer> local = new ArrayList<>();
        for (String a : localAddresses) {
            local.add(Ip4.parse(a));
        }
        this.skb = new Skb(packet, in, out, null, a -> local.contains(a) || (a >>> 24) == 127, new SplittableRandom(1));
    }

    /** Attaches conntrack's view (no entry: state only). */
    FakeHook ct(CtState state) {
        skb.attach(state, state == CtState.INVALID || state == CtState.UNTRACKED ? null : CtDir.ORIGINAL, -1);
        return this;
    }

    FakeHook at(Hook h) {
        this.hook = h;
        return this;
    }

    /** Runs the first base chain at {@code hook} of {@code engine}. */
    boolean run(NftEngine engine) {
        for (HookProgram p : engine.programs()) {
            if (p.hook() == hook) {
                decided = null;
                rejected = null;
                return p.run(this);
            }
        }
        throw new IllegalStateException("no base chain at " + hook);
    }

    @Override
    public Hook hook() {
        return hook;
    }

    @Override
    public Skb skb() {
        return skb;
    }

    @Override
    public NatSetup nat() {
        return this;
    }

    @Override
    public RandomChoice random() {
        return this;
    }

    @Override
    public long now() {
        return now;
    }

    @Override
    public List<TraceStep> trace() {
        return trace;
    }

    @Override
    public void decidedBy(DecidingRule rule) {
        decided = rule;
    }

    @Override
    public void reject(RejectWith how) {
        rejected = how;
    }

    @Override
    public boolean dnat(Skb s, Hook h, int ip, int minPort, int maxPort, List<TraceStep> t) {
        nat.add("dnat " + Ip4.format(ip)
                + (minPort == 0 ? "" : ":" + minPort + (maxPort == minPort ? "" : "-" + maxPort)));
        return true;
    }

    @Override
    public boolean snat(Skb s, Hook h, int ip, int minPort, int maxPort, boolean randomPort, List<TraceStep> t) {
        nat.add("snat " + Ip4.format(ip) + (minPort == 0 ? "" : ":" + minPort) + (randomPort ? " random" : ""));
        return true;
    }

    @Override
    public boolean masquerade(Skb s, Hook h, int minPort, int maxPort, boolean randomPort, List<TraceStep> t) {
        nat.add("masquerade" + (randomPort ? " random" : ""));
        return true;
    }

    @Override
    public int below(int modulus, String where) {
        drawnAt.add(where);
        int v = draws.isEmpty() ? 0 : draws.poll();
        if (v >= modulus) {
            throw new IllegalStateException("draw " + v + " for mod " + modulus);
        }
        return v;
    }
}
