package io.kpsim.report.html;

import io.kpsim.cluster.HookStepListener;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.conntrack.CtState;

/**
 * The trace listener behind the outcome of every connection and every forged packet, for the text
 * and JSON reports as for the HTML page (the {@link LadderRecorder} keeps one): one small record
 * per connection ({@link ConnectionBook}) and the journey of the first {@link InjectionBook#KEEP}
 * forged packets ({@link InjectionBook}). Memory grows by one record per connection and no more.
 * Neither book reads a node's hook steps, so it takes them as parts ({@link HookStepListener}) and
 * lets them go: in a JSON or text run no event is made for them.
 */
public final class OutcomeRecorder implements HookStepListener {

    private final ConnectionBook book = new ConnectionBook();
    private final InjectionBook injections = new InjectionBook(book);

    @Override
    public void onEvent(TraceEvent e) {
        book.event(e);
        injections.event(e);
    }

    @Override
    public void onHookStep(long timeNanos, long packetId, String node, CtState ctState, Object step) {
        // neither book reads hook steps (their event() returns at once for NODE_HOOK)
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
