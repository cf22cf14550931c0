package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.CtState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts, from the packet paths, what happened at the last node to every packet conntrack did
 * not simply accept and to every forged one: dropped by a rule while INVALID, delivered INVALID
 * (so without its reverse NAT), or ignored by a 6.1+ kernel and NATed as usual; and keeps the
 * first examples, with the receiving stack's reaction, to say concretely why a run did or did
 * not reset.
 */
final class FateCounter implements PacketPaths.Sink {

    /** Forged packets whose fates are kept (all are counted). */
    static final int KEEP_INJECTED = 8;

    long droppedInvalid;
    long deliveredInvalid;
    long deliveredIgnored;
    long injectedPackets;
    /** Forged packets by what became of them at their last node: dropped, ignored, INVALID, accepted. */
    final long[] injectedByFate = new long[4];
    PacketFate firstDropped;
    PacketFate firstDeliveredInvalid;
    PacketFate firstIgnored;
    final List<PacketFate> injected = new ArrayList<>();
    private final Map<Long, Integer> awaitingReaction = new HashMap<>();
    private final List<PacketFate> pending = new ArrayList<>();

    @Override
    public void finished(long packetId, List<TraceEvent> path) {
        TraceEvent first = path.get(0);
        boolean forged = first.point() == TracePoint.POD_INJECT;
        TraceEvent last = lastNodeEvent(path);
        if (last == null) {
            if (forged) {
                injectedPackets++;
            }
            return;
        }
        boolean dropped = last.point() == TracePoint.NODE_DROP;
        CtState state = last.ctState();
        boolean invalid = state == CtState.INVALID;
        boolean ignored = !invalid && state != null && last.reason() != null;
        if (!forged && !invalid && !ignored) {
            return;
        }
        PacketFate fate = new PacketFate(last.timeNanos(), PacketPaths.podOf(first), HopText.summary(first),
                last.where(), state, last.reason(), last.nat(), dropped, dropped ? last.detail() : null, null, forged);
        if (forged) {
            injectedPackets++;
            injectedByFate[dropped ? 0 : ignored ? 1 : invalid ? 2 : 3]++;
        }
        if (dropped && invalid) {
            droppedInvalid++;
            firstDropped = firstDropped == null ? fate : firstDropped;
        } else if (!dropped && invalid) {
            deliveredInvalid++;
        } else if (!dropped && ignored) {
            deliveredIgnored++;
        }
        boolean wanted = forged && injected.size() < KEEP_INJECTED
                || !dropped && invalid && firstDeliveredInvalid == null
                || !dropped && ignored && firstIgnored == null;
        if (!wanted) {
            return;
        }
        if (dropped) {
            record(fate);
        } else {
            awaitingReaction.put(packetId, pending.size());
            pending.add(fate);
        }
    }

    @Override
    public void socket(TraceEvent e, List<TraceEvent> path) {
        if (path == null || e.detail() == null || !e.detail().startsWith("received")) {
            return;
        }
        Integer slot = awaitingReaction.remove(e.packetId());
        if (slot != null) {
            record(pending.get(slot).withReaction(e.detail()));
        }
    }

    private void record(PacketFate fate) {
        if (fate.injected() && injected.size() < KEEP_INJECTED) {
            injected.add(fate);
        }
        if (!fate.dropped() && fate.invalid() && firstDeliveredInvalid == null) {
            firstDeliveredInvalid = fate;
        }
        if (!fate.dropped() && fate.ignored() && firstIgnored == null) {
            firstIgnored = fate;
        }
    }

    /** E.g. {@code 29 forged segments: 29 ignored}, or {@code null} for at most one forged segment. */
    String injectedSummary() {
        if (injectedPackets <= 1) {
            return null;
        }
        String[] words = {"dropped", "ignored", "INVALID and delivered", "accepted"};
        StringBuilder s = new StringBuilder().append(injectedPackets).append(" forged segments:");
        String sep = " ";
        for (int i = 0; i < words.length; i++) {
            if (injectedByFate[i] > 0) {
                s.append(sep).append(injectedByFate[i]).append(' ').append(words[i]);
                sep = ", ";
            }
        }
        return s.toString();
    }

    /** Packets delivered whose reaction never came (the run ended) still count as examples. */
    void flush() {
        for (Integer slot : awaitingReaction.values().stream().sorted().toList()) {
            record(pending.get(slot));
        }
        awaitingReaction.clear();
    }

    private static TraceEvent lastNodeEvent(List<TraceEvent> path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            TracePoint p = path.get(i).point();
            if (p == TracePoint.NODE_ROUTE || p == TracePoint.NODE_DROP) {
                return path.get(i);
            }
        }
        return null;
    }
}
