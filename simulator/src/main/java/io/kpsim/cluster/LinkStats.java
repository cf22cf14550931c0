package io.kpsim.cluster;

/**
 * What one link did during a run, counted as {@code tc -s qdisc} and netem count: packets
 * offered, delivered, dropped by the queue, lost, duplicated and held back.
 *
 * @param offered packets handed to the link (duplicates not included)
 * @param delivered packets that came out of the far end (duplicates included)
 * @param queueDrops packets the drop-tail queue refused
 * @param lost packets random loss took
 * @param duplicated extra copies made
 * @param heldBack packets delayed by the hold-back detour
 * @param bytesDelivered IP bytes delivered
 */
public record LinkStats(
        long offered,
        long delivered,
        long queueDrops,
        long lost,
        long duplicated,
        long heldBack,
        long bytesDelivered) {}
