package io.kpsim.report.html;

import io.kpsim.cluster.SegmentReceiptsListener;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.tcp.SegmentAction;
import java.util.EnumSet;
import java.util.Set;

/**
 * The trace listener behind the outcome of every connection and every forged packet, for the text
 * and JSON reports as for the HTML page (the {@link LadderRecorder} keeps one): one small record
 * per connection ({@link ConnectionBook}) and the journey of the first {@link InjectionBook#KEEP}
 * forged packets ({@link InjectionBook}). Memory grows by one record per connection and no more.
 * Of the stacks' receipts it reads the accepted resets and the reactions to the followed forged
 * packets only.
 */
public final class OutcomeRecorder implements SegmentReceiptsListener {

    /** The receipts that end a connection in the book: a RST a socket accepted. */
    private static final Set<SegmentAction> RESETS = resets();

    /**
     * What the two books read: the pods' sends and receipts and the sockets' actions (the
     * connections), forged packets and where they end (the journeys). Not the hops in between, which
     * are most of a run's events.
     */
    private static final Set<TracePoint> READ = EnumSet.of(
            TracePoint.POD_SEND,
            TracePoint.POD_INJECT,
            TracePoint.POD_RECEIVE,
            TracePoint.SOCKET,
            TracePoint.NODE_ROUTE,
            TracePoint.NODE_DROP,
            TracePoint.LINK_LOSS,
            TracePoint.LINK_QUEUE_DROP);

    private final ConnectionBook book = new ConnectionBook();
    private final InjectionBook injections = new InjectionBook(book);

    @Override
    public void onEvent(TraceEvent e) {
        book.event(e);
        injections.event(e);
    }

    /** The book's resets, and every receipt of a forged packet it follows. */
    @Override
    public boolean wantsReceipt(long packetId, SegmentAction action) {
        return RESETS.contains(action) || injections.follows(packetId);
    }

    /** The actions whose name {@link ConnectionBook} takes for a reset ({@code RST_ACCEPTED...}). */
    private static Set<SegmentAction> resets() {
        Set<SegmentAction> resets = EnumSet.noneOf(SegmentAction.class);
        for (SegmentAction a : SegmentAction.values()) {
            if (a.name().startsWith("RST_ACCEPTED")) {
                resets.add(a);
            }
        }
        return resets;
    }

    @Override
    public Set<TracePoint> points() {
        return EnumSet.copyOf(READ);
    }

    /** What became of every connection and forged packet so far. */
    public Outcomes outcomes() {
        return Outcomes.of(book, injections);
    }

    ConnectionBook book() {
        return book;
    }

    InjectionBook injections() {
        return injections;
    }
}
