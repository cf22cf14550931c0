package io.kpsim.report;

import io.kpsim.cluster.HookStepsListener;
import io.kpsim.cluster.LinkHopsListener;
import io.kpsim.cluster.SegmentReceiptsListener;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.tcp.SegmentAction;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The trace listener behind {@code kpsim run}'s narration: it groups the trace into packet paths
 * and feeds the analyses (endpoint views, the first reset's story, the fates of INVALID, ignored
 * and forged packets), keeping only what they need, so a long run costs little memory. It takes a
 * node's netfilter steps with the node's verdict, not as an event each, and a link's
 * hop with the node's verdict or the pod's receipt that ends it: only a story prints them. Of the
 * stacks' receipts of in-window data and ACKs (most of a run's socket events) it reads only those
 * of the packets a story or the fate counter follows.
 */
public final class RunObserver implements HookStepsListener, LinkHopsListener, SegmentReceiptsListener {

    /**
     * A stack's receipts of a segment for a connection it has, in window: they start no story (a
     * story starts at a segment no socket took, or at a RST a socket accepted) and end no path one
     * asks for, so the observer reads them only for a packet it follows.
     */
    private static final Set<SegmentAction> ROUTINE = EnumSet.of(
            SegmentAction.DATA_IN_ORDER,
            SegmentAction.DATA_OUT_OF_ORDER,
            SegmentAction.DATA_DUPLICATE,
            SegmentAction.ACK_NEW,
            SegmentAction.ACK_DUPLICATE,
            SegmentAction.ACK_OTHER);

    private final EndpointViews views = new EndpointViews();
    private final StoryFinder stories;
    private final FateCounter fates = new FateCounter();
    private final PacketPaths paths;

    /** An observer whose story gives TCP numbers relative to each side's initial sequence number. */
    public RunObserver() {
        this(false, false);
    }

    /**
     * An observer whose story gives absolute TCP numbers when {@code absoluteSeq} ({@code --absolute-seq}),
     * else numbers relative to each side's initial sequence number, as tcpdump and Wireshark do; with
     * {@code everyReset} ({@code --all}) every reset of the blog's kind is told, not only the first.
     */
    public RunObserver(boolean absoluteSeq, boolean everyReset) {
        this(absoluteSeq, everyReset, PacketPaths.SLOTS);
    }

    /** With {@code slots} packet slots (tests use small ones). */
    RunObserver(boolean absoluteSeq, boolean everyReset, int slots) {
        stories = new StoryFinder(views, new SeqNumbers(views, absoluteSeq), everyReset);
        paths = new PacketPaths(views, stories, fates, slots);
    }

    /** Every point but the hook steps and the link hops, which come with the verdicts and arrivals. */
    @Override
    public Set<TracePoint> points() {
        return EnumSet.complementOf(EnumSet.of(TracePoint.NODE_HOOK, TracePoint.LINK_SEND, TracePoint.LINK_DELIVER));
    }

    /** Every receipt but a routine one, and a routine one of a packet a story or the fate counter follows. */
    @Override
    public boolean wantsReceipt(long packetId, SegmentAction action) {
        return !ROUTINE.contains(action) || paths.follows(packetId);
    }

    @Override
    public void onEvent(TraceEvent event) {
        paths.onEvent(event);
    }

    /**
     * The first reset's two packets as soon as the server has accepted the RST (while the run goes
     * on), else {@code null}; cheap enough to ask after every event.
     */
    public StoryPackets storyPackets() {
        return stories.packets();
    }

    /** The report of the run the observer watched. */
    public RunReport report(RunContext context, RunMetrics metrics, List<ExpectationResult> expectations) {
        List<ResetStory> told = stories.stories();
        ResetStory story = told.isEmpty() ? null : told.get(0);
        return new RunReport(
                context,
                metrics,
                story,
                Diagnosis.of(context, metrics, story, fates),
                expectations,
                told.isEmpty() ? List.of() : told.subList(1, told.size()));
    }
}
