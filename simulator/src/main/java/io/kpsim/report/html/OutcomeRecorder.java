package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TraceListener;
import io.kpsim.cluster.TracePoint;
import java.util.EnumSet;
import java.util.Set;

/**
 * The trace listener behind the outcome of every connection and every forged packet, for the text
 * and JSON reports as for the HTML page (the {@link LadderRecorder} keeps one): one small record
 * per connection ({@link ConnectionBook}) and the journey of the first {@link InjectionBook#KEEP}
 * forged packets ({@link InjectionBook}). Memory grows by one record per connection and no more.
 */
public final class OutcomeRecorder implements TraceListener {

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
