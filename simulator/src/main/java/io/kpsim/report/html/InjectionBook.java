package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.packet.Packet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every forged packet of a run (a scripted injection, the boom server's segment): counted, and
 * for the first {@link #KEEP} followed to their last node and the receiving stack's reaction.
 */
final class InjectionBook {

    /** Forged packets followed one by one; the rest are counted. */
    static final int KEEP = 200;

    /** One forged packet's journey so far. */
    static final class Journey {
        final TraceEvent written;
        Packet last;
        String node;
        CtVerdict verdict;
        NatRewrite nat;
        HopEnd end;
        String detail;

        Journey(TraceEvent written) {
            this.written = written;
            this.last = written.packet();
        }

        InjectionOutcome outcome() {
            return new InjectionOutcome(
                    written.timeNanos(),
                    written.where(),
                    written.packet(),
                    written.detail(),
                    node,
                    verdict,
                    nat,
                    end,
                    detail);
        }
    }

    private final ConnectionBook book;
    private final List<Journey> kept = new ArrayList<>();
    private final Map<Long, Journey> open = new HashMap<>();
    long total;

    InjectionBook(ConnectionBook book) {
        this.book = book;
    }

    /** Whether forged packet {@code id} is followed and its receiving stack's reaction not read yet. */
    boolean follows(long id) {
        return !open.isEmpty() && open.containsKey(id);
    }

    void event(TraceEvent e) {
        switch (e.point()) {
            case POD_INJECT:
                total++;
                if (kept.size() < KEEP) {
                    Journey j = new Journey(e);
                    kept.add(j);
                    open.put(e.packetId(), j);
                }
                return;
            case NODE_ROUTE:
            case NODE_DROP:
            case POD_RECEIVE:
            case LINK_LOSS:
            case LINK_QUEUE_DROP:
            case SOCKET:
                break;
            case POD_SEND:
            case LINK_SEND:
            case LINK_DUPLICATE:
            case LINK_HOLD_BACK:
            case LINK_DELIVER:
            case NODE_HOOK:
                return;
            default:
                throw new IllegalStateException("unhandled trace point " + e.point());
        }
        Journey j = open.isEmpty() ? null : open.get(e.packetId());
        if (j == null) {
            return;
        }
        TracePoint point = e.point();
        if (point == TracePoint.NODE_ROUTE || point == TracePoint.NODE_DROP) {
            j.node = e.where();
            j.verdict = Hops.verdict(e);
            j.nat = Hops.nat(j.last, e.packet(), j.verdict, book.find(j.last));
            j.last = e.packet();
            j.end = point == TracePoint.NODE_DROP ? HopEnd.DROPPED : HopEnd.FORWARDED;
            if (point == TracePoint.NODE_DROP) {
                j.detail = e.detail();
                open.remove(e.packetId());
            }
        } else if (point == TracePoint.POD_RECEIVE) {
            j.end = HopEnd.DELIVERED;
        } else if (point == TracePoint.LINK_LOSS || point == TracePoint.LINK_QUEUE_DROP) {
            j.end = HopEnd.LOST;
            j.detail = "lost on " + e.where() + (e.detail() == null ? "" : " (" + e.detail() + ")");
            open.remove(e.packetId());
        } else if (e.detail() != null && e.detail().startsWith("received")) {
            j.detail = e.where() + ": " + e.detail();
            open.remove(e.packetId());
        }
    }

    /** The followed forged packets, in the order they were written. */
    List<InjectionOutcome> outcomes() {
        List<InjectionOutcome> out = new ArrayList<>(kept.size());
        for (Journey j : kept) {
            out.add(j.outcome());
        }
        return out;
    }
}
