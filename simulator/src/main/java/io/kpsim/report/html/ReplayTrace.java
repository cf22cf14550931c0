package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtState;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.replay.ReplayArrivals;
import io.kpsim.replay.ReplayRecord;
import io.kpsim.replay.ReplayStep;
import io.kpsim.report.ResetStory;
import io.kpsim.report.StoryPackets;
import io.kpsim.report.StoryStep;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The pictures of a replayed capture ({@code kpsim diagnose --html}): each replayed TCP packet told
 * to a {@link LadderRecorder} as the trace events a simulated run would have made of it, so the
 * ladder, the window plot and the outcomes are built by the same code as {@code kpsim run --html}.
 *
 * <p>A capture taken on one node shows three places: the pod that sent a packet, the node's
 * netfilter (where kpsim replays it: conntrack's verdict, the NAT, the entry before and after,
 * read through {@link io.kpsim.conntrack.EntryView} as {@link EntryWitness} reads a run's), and the
 * pod it was forwarded to. Pods are named by the addresses the capture shows. A packet becomes a
 * send at its source, a route (or a drop) at the node with the packet as it left, and, when
 * forwarded, a delivery at its destination; all three at the record's time, counted from the
 * capture's first record. What a receiving stack did is not in a node's capture: a RST the node
 * forwarded is taken as ending the connection (an inference the page's caption and the docs say).
 *
 * <p>When the diagnosis found the INVALID-reply reset, the story is its packets: the INVALID reply
 * (steps 1 and 2), the client's RST to the pod IP (steps 3 and 4). On one node the RST leaving the
 * node and reaching the server are one hop, so the run's step 5 is told with step 4. Otherwise the ladder is drawn
 * around the first packet conntrack did not simply accept. Packet ids are the records' indices.
 */
public final class ReplayTrace implements Consumer<ReplayStep>, ReplayArrivals {

    /** The ladder's name for the node whose capture it is. */
    public static final String NODE = "node";

    private final String file;
    private final int segmentIndex;
    private final int rstIndex;
    private final EntryWitness witness = new EntryWitness();
    private final LadderRecorder recorder;
    private final List<TraceEvent> segmentPath = new ArrayList<>();
    private final List<StoryStep> steps = new ArrayList<>();
    private StoryPackets story;
    private long firstNanos = Long.MIN_VALUE;
    private long now;
    private String invalidReason;

    /**
     * A trace of one replayed file.
     *
     * @param file the capture's name, as the diagnosis cites it
     * @param segmentIndex the record index of the INVALID reply of the reset the pictures are about,
     *     or -1: then they are about the first packet conntrack did not simply accept
     * @param rstIndex the record index of the client's RST to the pod IP that answered it, or -1
     */
    public ReplayTrace(String file, int segmentIndex, int rstIndex) {
        this.file = file;
        this.segmentIndex = segmentIndex;
        this.rstIndex = rstIndex;
        this.recorder = new LadderRecorder(() -> story, false, segmentIndex);
    }

    @Override
    public void arriving(Conntrack conntrack, int index, Packet packet, long nowNanos) {
        now = nowNanos;
        witness.arriving(NODE, conntrack, index, packet, nowNanos);
    }

    @Override
    public void accept(ReplayStep step) {
        Packet in = step.packet();
        if (in == null || in.protocol() != Protocol.TCP || step.path() == null) {
            return;
        }
        if (firstNanos == Long.MIN_VALUE) {
            firstNanos = step.timestampNanos();
        }
        ReplayRecord r = step.record();
        long id = r.index();
        long t = step.timestampNanos() - firstNanos;
        String sender = Ip4.format(in.srcIp());
        List<TraceEvent> path = id == segmentIndex ? segmentPath : null;
        if (id == rstIndex && !segmentPath.isEmpty()) {
            // known from the diagnosis: the capture starts at the RST, so the RST's own hops are followed
            story = new StoryPackets(segmentIndex, rstIndex, segmentPath, List.of());
        }
        emit(new TraceEvent(t, id, TracePoint.POD_SEND, sender, in, null, null, null, null, null), null, path);
        boolean forwarded = r.verdict() == ReplayRecord.Verdict.ACCEPT;
        Packet out = step.path().out();
        TraceEvent atNode = forwarded
                ? new TraceEvent(
                        t, id, TracePoint.NODE_ROUTE, NODE, out, r.ctstate(), r.reason(), step.natNote(), null, null)
                : new TraceEvent(
                        t,
                        id,
                        TracePoint.NODE_DROP,
                        NODE,
                        out,
                        r.ctstate(),
                        r.reason(),
                        step.natNote(),
                        null,
                        step.path().dropReason());
        emit(atNode, witness.at(atNode, now), path);
        if (forwarded) {
            String receiver = Ip4.format(out.dstIp());
            emit(
                    new TraceEvent(t, id, TracePoint.POD_RECEIVE, receiver, out, null, null, null, null, null),
                    null,
                    path);
            if (out.tcp().has(TcpFlags.RST)) {
                emit(
                        new TraceEvent(
                                t,
                                id,
                                TracePoint.SOCKET,
                                receiver + " (as the capture suggests)",
                                out,
                                null,
                                "RST_ACCEPTED",
                                null,
                                null,
                                "a RST the node forwarded; the node's capture cannot show the receiving stack"),
                        null,
                        null);
            }
        }
        if (id == segmentIndex) {
            segmentStep(r, in, out, t);
        } else if (id == rstIndex) {
            rstSteps(r, in, forwarded, t);
        }
    }

    private void emit(TraceEvent e, CtChange change, List<TraceEvent> path) {
        if (path != null) {
            path.add(e);
        }
        recorder.replayed(e, change);
    }

    private String ref(ReplayRecord r) {
        return file + "#" + r.index() + (r.ts() == null ? "" : " at " + r.ts());
    }

    private void segmentStep(ReplayRecord r, Packet in, Packet out, long t) {
        invalidReason = r.reason();
        String endpoint = Ip4.format(in.srcIp(), in.srcPort());
        steps.add(new StoryStep(
                1,
                t,
                "the node's conntrack marks the server's segment " + r.ctstate()
                        + (r.reason() == null ? "" : ": " + r.reason()),
                List.of(ref(r) + ": " + Fmt.summary(in)),
                List.of()));
        boolean skipped = r.ctstate() == CtState.INVALID || r.ctstate() == CtState.UNTRACKED;
        String title = r.verdict() == ReplayRecord.Verdict.ACCEPT
                ? (skipped ? "NAT skipped: " : "") + "the node forwards it to the client with the pod IP " + endpoint
                        + " as its source"
                : "the node drops it";
        steps.add(new StoryStep(2, t, title, List.of(ref(r) + ": left as " + Fmt.summary(out)), List.of()));
    }

    private void rstSteps(ReplayRecord r, Packet in, boolean forwarded, long t) {
        String pod = Ip4.format(in.dstIp(), in.dstPort());
        steps.add(new StoryStep(
                3,
                t,
                "the client has no connection with " + pod + " and answers with a RST to the pod IP",
                List.of(ref(r) + ": " + Fmt.summary(in)),
                List.of()));
        steps.add(new StoryStep(
                4,
                t,
                forwarded
                        ? "the node forwards that RST (" + r.ctstate() + ") to the server " + pod
                                + ", which drops the connection the client still uses"
                        : "the node drops that RST (" + r.ctstate() + "): the server's connection survives",
                List.of(ref(r) + (forwarded ? ": forwarded" : ": dropped")),
                List.of()));
    }

    /** The recorder the pictures are built from. */
    LadderRecorder recorder() {
        return recorder;
    }

    /** The story's steps in the diagnosis's terms, or {@code null} without an INVALID-reply reset. */
    ResetStory story() {
        if (story == null) {
            return null;
        }
        return new ResetStory(0, null, null, NODE, invalidReason, steps, null, true);
    }
}
