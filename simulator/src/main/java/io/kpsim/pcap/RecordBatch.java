package io.kpsim.pcap;

/**
 * Records read ahead together, handed from {@link ReadAheadPump} to {@link PcapReader}: parallel
 * arrays rather than objects. The pump also decodes the batch once it is read, while the frames are
 * still in its core's cache.
 */
final class RecordBatch {

    final byte[][] frames;
    final long[] timestamps;
    final int[] originalLengths;
    /** The interface each record was captured on. */
    final CaptureInterface[] interfaces;
    /** Each record's pcapng {@code epb_flags}, 0 when it has none. */
    final int[] flags;
    /** Each frame decoded on the pump thread; {@code null} where decoding threw (redone by the reader). */
    final DecodedPacket[] decoded;

    int size;
    /** Whether no batch follows this one (end of file, error, or the reader was closed). */
    boolean last;
    /** Why reading stopped early, set on the last batch; {@code null} at a clean end of file. */
    RuntimeException error;

    RecordBatch(int capacity) {
        frames = new byte[capacity][];
        timestamps = new long[capacity];
        originalLengths = new int[capacity];
        interfaces = new CaptureInterface[capacity];
        flags = new int[capacity];
        decoded = new DecodedPacket[capacity];
    }
}
