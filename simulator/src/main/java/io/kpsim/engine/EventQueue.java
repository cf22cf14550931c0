package io.kpsim.engine;

/**
 * The future-event list: events keyed by (time, insertion sequence), in two {@link EventHeap}s, one
 * for the near future and one for the far future.
 *
 * <p>Ties on time are broken by a monotonically increasing sequence number, exactly as ns-3's
 * {@code Scheduler::EventKey} compares {@code (m_ts, m_uid)}, so events due at the same instant run
 * in the order they were scheduled (FIFO) and every run is reproducible. The keys are unique and
 * totally ordered, so which heap holds an event never changes the order events come out in: the
 * head of the list is the smaller of the two heaps' heads.
 *
 * <p>Why two heaps: a long run parks many events far ahead of the clock, which it reaches seldom
 * or never, such as every closed connection's TIME_WAIT timer (60 s, {@code TCP_TIMEWAIT_LEN}) and
 * the stale entries of cancelled retransmission timers ({@link Timer} leaves them queued). In one
 * heap these sit between the root and the leaves, so each of the millions of near events (link
 * arrivals, due within microseconds) sifts through them: 1,000 downloads in a row
 * (benchmarks/scenarios/bench-1000-downloads.yaml) keep about 630 events queued, and the heap's
 * sifts took 15% of a quiet run. An event due at least {@link #HORIZON_NANOS} after the event taken
 * last goes to the far heap instead, where it costs one sift on the way in and one on the way out;
 * in that run the near heap holds about 2 events on average.
 */
final class EventQueue {

    /** How far ahead of the clock an event is parked in the far heap: 10 ms of virtual time. */
    static final long HORIZON_NANOS = 10_000_000L;

    private final EventHeap near = new EventHeap();
    private final EventHeap far = new EventHeap();
    private long nextSeq;
    /** The time of the event taken last: the clock, as far as the queue knows it (virtual time starts at 0). */
    private long clock;
    /** The heap whose head is the list's head ({@link #headHeap}), kept up to date by every change. */
    private EventHeap head = near;

    /** Number of queued events, cancelled ones included. */
    int size() {
        return near.size() + far.size();
    }

    boolean isEmpty() {
        return near.isEmpty() && far.isEmpty();
    }

    /**
     * Queues {@code event} at {@code timeNanos} behind every event already queued at that time.
     *
     * @return the entry's sequence number, handed back to {@link Scheduled#take} when it is due
     */
    long add(long timeNanos, Scheduled event) {
        long seq = nextSeq++;
        if (timeNanos - clock >= HORIZON_NANOS) {
            far.add(timeNanos, seq, event);
        } else {
            near.add(timeNanos, seq, event);
        }
        head = headHeap();
        return seq;
    }

    /** The time of the head event; only when not empty. */
    long peekTime() {
        return head.peekTime();
    }

    /** The sequence number of the head event; only when not empty. */
    long peekSeq() {
        return head.peekSeq();
    }

    /** Removes and returns the head event; only when not empty. */
    Scheduled poll() {
        EventHeap h = head;
        clock = h.peekTime();
        Scheduled e = h.poll();
        head = headHeap();
        return e;
    }

    /** The heap whose head is the list's head: the earlier key of the two heads. */
    private EventHeap headHeap() {
        if (far.isEmpty()) {
            return near;
        }
        if (near.isEmpty()) {
            return far;
        }
        long nt = near.peekTime();
        long ft = far.peekTime();
        return nt < ft || (nt == ft && near.peekSeq() < far.peekSeq()) ? near : far;
    }
}
