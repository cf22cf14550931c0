package io.kpsim.replay;

import io.kpsim.conntrack.CtState;

/**
 * Counts of replayed packets per ctstate, drops and skipped records, for the text summary. The
 * counts per ctstate are a {@code long} per constant (not a map of boxed counts): the text output
 * counts every packet twice, once per file and once for all files.
 */
public final class ReplaySummary {

    private final long[] perState = new long[CtState.values().length];
    private long packets;
    private long dropped;
    private long droppedInvalid;
    private long skipped;

    /** Counts one record. */
    public void add(ReplayRecord r) {
        if (r.isSkipped()) {
            skipped++;
            return;
        }
        packets++;
        perState[r.ctstate().ordinal()]++;
        if (r.verdict() == ReplayRecord.Verdict.DROP) {
            dropped++;
            if (r.ctstate() == CtState.INVALID) {
                droppedInvalid++;
            }
        }
    }

    /** Replayed packets (not counting skipped records). */
    public long packets() {
        return packets;
    }

    /** Packets with the given ctstate. */
    public long count(CtState state) {
        return perState[state.ordinal()];
    }

    /** Dropped packets. */
    public long dropped() {
        return dropped;
    }

    /** Skipped records. */
    public long skipped() {
        return skipped;
    }

    /** One line: {@code 12 packets: NEW 2, ESTABLISHED 8, INVALID 2; dropped 1 (INVALID 1); skipped 0}. */
    public String line() {
        StringBuilder s = new StringBuilder();
        s.append(packets).append(packets == 1 ? " packet: " : " packets: ");
        boolean first = true;
        for (CtState state : CtState.values()) {
            long n = count(state);
            if (n == 0) {
                continue;
            }
            if (!first) {
                s.append(", ");
            }
            s.append(state.name()).append(' ').append(n);
            first = false;
        }
        if (first) {
            s.append("none");
        }
        s.append("; dropped ").append(dropped);
        if (dropped > 0) {
            s.append(" (INVALID ").append(droppedInvalid).append(')');
        }
        s.append("; skipped ").append(skipped);
        return s.toString();
    }
}
