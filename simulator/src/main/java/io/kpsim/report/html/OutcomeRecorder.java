package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TraceListener;

/**
 * The trace listener behind the outcome of every connection and every forged packet, for the text
 * and JSON reports as for the HTML page (the {@link LadderRecorder} keeps one): one small record
 * per connection ({@link ConnectionBook}) and the journey of the first {@link InjectionBook#KEEP}
 * forged packets ({@link InjectionBook}). Memory grows by one record per connection and no more.
 */
public final class OutcomeRecorder implements TraceListener {

    private final ConnectionBook book = new ConnectionBook();
    private final InjectionBook injections = new InjectionBook(book);

    @Override
    public void onEvent(TraceEvent e) {
        book.event(e);
        injections.event(e);
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
