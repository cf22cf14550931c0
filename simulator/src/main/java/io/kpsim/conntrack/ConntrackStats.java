package io.kpsim.conntrack;

/**
 * The per-namespace counters {@code conntrack -S} prints ({@code struct ip_conntrack_stat}).
 *
 * @param found lookups that found an entry
 * @param invalid packets that ended INVALID
 * @param ignore packets IGNOREd by the tracker
 * @param insert entries confirmed
 * @param insertFailed confirmations that clashed
 * @param drop packets conntrack dropped
 * @param earlyDrop entries evicted to make room
 * @param error packets refused by {@code tcp_error()} and friends
 */
public record ConntrackStats(
        long found, long invalid, long ignore, long insert, long insertFailed, long drop, long earlyDrop, long error) {}
