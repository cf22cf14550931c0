package io.kpsim.report;

/**
 * The two initial sequence numbers a packet's numbers are measured from, as tcpdump and
 * Wireshark take relative numbers: its sequence numbers from the sender's ISN, its acknowledgement
 * from the receiver's. Either may be -1 (unknown: that number stays absolute).
 *
 * @param seqBase the sending side's ISN, unsigned, or -1
 * @param ackBase the receiving side's ISN, unsigned, or -1
 */
record SeqBases(long seqBase, long ackBase) {}
