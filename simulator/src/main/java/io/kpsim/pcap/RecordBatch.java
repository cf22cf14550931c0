package io.kpsim.pcap;

/**
 * Records read by one {@code pcap_dispatch()} call, handed from {@link DispatchPump} to
 * {@link PcapReader}: parallel arrays rather than objects, so the pump thread does nothing per
 * record beyond what pcap4j already does.
 */
final class RecordBatch {

    final byte[][] frames;
    final long[] timestamps;
    final int[] originalLengths;
    int size;
    /** Whether no batch follows this one (end of file, error, or the reader was closed). */
    boolean last;
    /** Why reading stopped early, set on the last batch; {@code null} at a clean end of file. */
    RuntimeException error;

    RecordBatch(int capacity) {
        frames = new byte[capacity][];
        timestamps = new long[capacity];
        originalLengths = new int[capacity];
    }
}
