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
final class FateCounter {

    /** Forged packets whose fates are kept (all are counted). */
    static final int KEEP_INJECTED = 8;

    long droppedInvalid;
    /** INVALID packets a node dropped for another reason than a rule (e.g. no route to a ClusterIP). */
    long droppedOtherwise;

    long deliveredInvalid;
    long deliveredIgnored;
    /** INVALID verdicts on finished packets, summed over the nodes each crossed (the nodes' counter). */
    long invalidVerdicts;
    /** Finished packets that some node marked INVALID. */
    long invalidPackets;
    /** INVALID packets a link lost or its queue dropped after a node had marked them. */
    long lostInvalid;
    /** Packets marked INVALID by one node and tracked by the last node they crossed. */
    long invalidThenTracked;
    /** Where the first packet that was INVALID at one node and tracked by the next was INVALID: node and words. */
    String firstInvalidThenTracked;

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

        /** Whether this example waits for the reaction to packet {@code id}. */
        boolean awaits(long id) {
            return fate != null && packetId == id && fate.reaction() == null;
        }

        void react(long id, String text) {
            if (awaits(id)) {
                fate = fate.withReaction(text);
            }
        }
    }

    /** A packet's path is complete: it reached a pod, or was dropped or lost (tests, and whole paths). */
    void finished(long packetId, List<TraceEvent> events) {
        PacketPath path = PacketPath.of(events);
        TraceEvent firstInvalid = null;
        for (TraceEvent e : path) {
            if ((e.point() == TracePoint.NODE_ROUTE || e.point() == TracePoint.NODE_DROP)
                    && e.ctState() == CtState.INVALID) {
                firstInvalid = e;
                break;
            }
        }
        finished(
                packetId,
                path.get(0),
                path.lastNodeEvent(),
                path.invalidVerdicts(),
                firstInvalid,
                path.last().point());
    }

    /**
     * A packet's path is complete, given by the facts {@link PacketPaths} keeps of each: its first
     * event, its last node's ROUTE or DROP event ({@code null} if it never left a node's hooks),
     * its INVALID verdicts and the first of them, and the point where it ended.
     */
    void finished(
            long packetId, TraceEvent first, TraceEvent last, int verdicts, TraceEvent firstInvalid, TracePoint end) {
        boolean forged = first.point() == TracePoint.POD_INJECT;
        if (last == null) {
            if (forged) {
                injectedPackets++;
            }
            return;
        }
        boolean wasDropped = last.point() == TracePoint.NODE_DROP;
        CtState state = last.ctState();
        boolean invalid = state == CtState.INVALID;
        invalidVerdicts += verdicts;
        boolean lost = end == TracePoint.LINK_LOSS || end == TracePoint.LINK_QUEUE_DROP;
        if (verdicts > 0) {
            invalidPackets++;
            if (!invalid) {
                invalidThenTracked++;
                if (firstInvalidThenTracked == null) {
                    firstInvalidThenTracked = firstInvalidWords(firstInvalid);
                }
            } else if (lost) {
                lostInvalid++;
            }
        }
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
        } else if (!wasDropped && invalid && !lost) {
            deliveredInvalid++;
            deliveredInvalidExample.offer(fate, packetId, data);
        } else if (!wasDropped && wasIgnored) {
            deliveredIgnored++;
            ignored.offer(fate, packetId, data);
        }
    }

    /** {@code node-c 0.000910s: "reason"} for a packet's first node event that was INVALID. */
    private static String firstInvalidWords(TraceEvent e) {
        return e == null ? "a node" : e.where() + " " + HopText.time(e.timeNanos()) + ": \"" + e.reason() + "\"";
    }

    /** A TCP stack acted on a socket; {@code caused} when a packet caused it (its path is known). */
    void socket(TraceEvent e, boolean caused) {
        if (!caused || !awaited(e.packetId())) {
            return; // most socket events: read no words
        }
        String text = e.detail();
        if (text == null || !text.startsWith("received")) {
            return;
        }
        deliveredInvalidExample.react(e.packetId(), text);
        ignored.react(e.packetId(), text);
        for (Example x : injected) {
            x.react(e.packetId(), text);
        }
    }

    /** Whether an example waits for the receiving stack's reaction to packet {@code id}. */
    boolean awaited(long id) {
        if (deliveredInvalidExample.awaits(id) || ignored.awaits(id)) {
            return true;
        }
        for (int i = 0; i < injected.size(); i++) { // no iterator: asked for every receipt of a narrated run
            if (injected.get(i).awaits(id)) {
                return true;
            }
        }
        return false;
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

    /**
     * Where the INVALID verdicts went, e.g. {@code 386 INVALID verdicts on 385 packets (a packet
     * counts once per node that marked it): 384 reached a pod without their reverse NAT, 1 was
     * INVALID at one node and tracked by the next}; {@code null} when no finished packet was INVALID.
     *
     * @param nodeCount the nodes' INVALID counter (the summary's "INVALID packets")
     */
    String invalidAccount(long nodeCount) {
        if (invalidPackets == 0 && nodeCount == 0) {
            return null;
        }
        StringBuilder s = new StringBuilder()
                .append("accounting: ")
                .append(nodeCount)
                .append(" INVALID ")
                .append(nodeCount == 1 ? "verdict" : "verdicts")
                .append(" (the nodes' count; a packet counts once per node that marked it) on ")
                .append(invalidPackets)
                .append(invalidPackets == 1 ? " packet" : " packets")
                .append(':');
        String sep = " ";
        long[] counts = {deliveredInvalid, droppedInvalid, droppedOtherwise, lostInvalid, invalidThenTracked};
        String[] words = {
            "reached a pod without the reverse NAT",
            "dropped by a rule on ctstate INVALID",
            "dropped by a node for another reason",
            "lost on a link after a node had marked it",
            "INVALID at one node, then tracked by the next node's conntrack"
        };
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                s.append(sep).append(counts[i]).append(' ').append(words[i]);
                sep = ", ";
            }
        }
        long open = nodeCount - invalidVerdicts;
        if (open > 0) {
            s.append(sep)
                    .append("and ")
                    .append(open)
                    .append(open == 1 ? " verdict" : " verdicts")
                    .append(" on packets still in flight when the run ended");
        }
        return s.toString();
    }
}
