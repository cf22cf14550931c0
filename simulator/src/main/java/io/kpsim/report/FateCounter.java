package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.CtState;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.List;

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
    /** INVALID packets a node dropped for another reason than a rule (e.g. no route to a ClusterIP). */
    long droppedOtherwise;

    long deliveredInvalid;
    long deliveredIgnored;
    long injectedPackets;
    /** Forged packets by what became of them at their last node: dropped, ignored, INVALID, accepted. */
    final long[] injectedByFate = new long[4];

    private final Example dropped = new Example();
    private final Example droppedOther = new Example();
    private final Example deliveredInvalidExample = new Example();
    private final Example ignored = new Example();
    private final List<Example> injected = new ArrayList<>();

    /**
     * The first packet of a kind, preferring one that carries data (a straggling segment tells
     * more than a straggling ACK), with the receiving stack's reaction once it comes.
     */
    private static final class Example {
        PacketFate fate;
        long packetId = -1;
        boolean data;

        void offer(PacketFate candidate, long id, boolean hasData) {
            if (fate == null || !data && hasData) {
                fate = candidate;
                packetId = id;
                data = hasData;
            }
        }

        void react(long id, String text) {
            if (fate != null && packetId == id && fate.reaction() == null) {
                fate = fate.withReaction(text);
            }
        }
    }

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
        boolean wasDropped = last.point() == TracePoint.NODE_DROP;
        CtState state = last.ctState();
        boolean invalid = state == CtState.INVALID;
        boolean wasIgnored = !invalid && state != null && last.reason() != null;
        if (!forged && !invalid && !wasIgnored) {
            return;
        }
        PacketFate fate = new PacketFate(
                last.timeNanos(),
                PacketPaths.podOf(first),
                HopText.summary(first),
                last.where(),
                state,
                last.reason(),
                last.nat(),
                wasDropped,
                wasDropped ? last.detail() : null,
                null,
                forged);
        boolean data = first.packet() != null
                && first.packet().protocol() == Protocol.TCP
                && first.packet().tcp().payloadLength() > 0;
        if (forged) {
            injectedPackets++;
            injectedByFate[wasDropped ? 0 : wasIgnored ? 1 : invalid ? 2 : 3]++;
            if (injected.size() < KEEP_INJECTED) {
                Example x = new Example();
                x.offer(fate, packetId, data);
                injected.add(x);
            }
        }
        if (wasDropped && invalid && byRule(last.detail())) {
            droppedInvalid++;
            dropped.offer(fate, packetId, data);
        } else if (wasDropped && invalid) {
            droppedOtherwise++;
            droppedOther.offer(fate, packetId, data);
        } else if (!wasDropped && invalid) {
            deliveredInvalid++;
            deliveredInvalidExample.offer(fate, packetId, data);
        } else if (!wasDropped && wasIgnored) {
            deliveredIgnored++;
            ignored.offer(fate, packetId, data);
        }
    }

    @Override
    public void socket(TraceEvent e, List<TraceEvent> path) {
        if (path == null || e.detail() == null || !e.detail().startsWith("received")) {
            return;
        }
        deliveredInvalidExample.react(e.packetId(), e.detail());
        ignored.react(e.packetId(), e.detail());
        for (Example x : injected) {
            x.react(e.packetId(), e.detail());
        }
    }

    /** The first packet KUBE-FORWARD (or another rule) dropped while INVALID, or {@code null}. */
    PacketFate firstDropped() {
        return dropped.fate;
    }

    /** The first INVALID packet a node dropped for another reason than a rule, or {@code null}. */
    PacketFate firstDroppedOtherwise() {
        return droppedOther.fate;
    }

    /** Whether a drop was a filter rule's verdict on ctstate INVALID (KUBE-FORWARD's, kubernetes PR 74840). */
    static boolean byRule(String dropDetail) {
        return dropDetail != null
                && (dropDetail.contains("--ctstate INVALID") || dropDetail.contains("ct state invalid drop"));
    }

    /** The first INVALID packet that reached a pod, or {@code null}. */
    PacketFate firstDeliveredInvalid() {
        return deliveredInvalidExample.fate;
    }

    /** The first packet a 6.1+ conntrack ignored and let through, or {@code null}. */
    PacketFate firstIgnored() {
        return ignored.fate;
    }

    /** The first forged packets, in order. */
    List<PacketFate> injected() {
        List<PacketFate> list = new ArrayList<>();
        for (Example x : injected) {
            list.add(x.fate);
        }
        return list;
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
