package io.kpsim.pcap;

/**
 * Where the read-ahead thread takes a file's records from, one at a time: the savefile formats
 * read in plain Java ({@link PcapFileSource}, {@link PcapngFileSource}).
 *
 * <p>Why plain Java: a record read through libpcap costs a JNI crossing and a copy per record,
 * and libpcap's {@code pcap_next_ex()} does not hand out what a pcapng Enhanced Packet Block says
 * about direction ({@code epb_flags}) or which interface saw the packet, which is what tells the
 * packets a node received from the copies it sent. The formats are small and fully specified
 * (the tcpdump.org {@code pcap-savefile(5)} page and draft-ietf-opsawg-pcapng), so they are read
 * here from large buffered reads, with no native call per record.
 *
 * <p>After {@link #next()} returns true the fields describe the record just read. Not
 * thread-safe: one reader thread.
 */
abstract class RecordSource implements AutoCloseable {

    /** The last record's capture time in nanoseconds since the epoch. */
    long timestampNanos;
    /** Its length on the wire. */
    int originalLength;
    /** Its captured bytes. */
    byte[] frame;
    /** The interface that captured it. */
    CaptureInterface iface;
    /** Its pcapng {@code epb_flags} (0 when the format or the block has none). */
    int flags;

    /**
     * Reads the next record.
     *
     * @return false at the end of the file
     * @throws CaptureException one line naming the file and the record that cannot be read
     */
    abstract boolean next();

    /** The interface of the file's first record (a pcap file's only one). */
    abstract CaptureInterface firstInterface();

    /** Releases the file. */
    @Override
    public abstract void close();
}
