package io.kpsim.conntrack;

/**
 * The mutable per-namespace counters behind {@link ConntrackStats} ({@code struct
 * ip_conntrack_stat}, summed over CPUs). Which paths count what depends on the kernel; the paths
 * are in {@link Conntrack}, {@link EntryTable} and {@link EarlyDrop}.
 */
final class Counters {
    long found;
    long invalid;
    long ignore;
    long insert;
    long insertFailed;
    long drop;
    long earlyDrop;
    long error;
    long clashResolve;
    long chainTooLong;

    ConntrackStats snapshot() {
        return new ConntrackStats(
                found, invalid, ignore, insert, insertFailed, drop, earlyDrop, error, clashResolve, chainTooLong);
    }
}
