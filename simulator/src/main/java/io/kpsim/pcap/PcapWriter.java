package io.kpsim.pcap;

import io.kpsim.packet.Packet;
import java.nio.file.Path;
import java.sql.Timestamp;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Writes a pcap file that tcpdump and Wireshark open: libpcap's own writer
 * ({@code pcap_open_dead_with_tstamp_precision()} + {@code pcap_dump_open()}) with nanosecond
 * timestamps (magic {@code 0xa1b23c4d}), so the simulator's nanosecond clock survives the trip.
 *
 * <p>Packets are framed by {@link LinkLayer} (Ethernet by default, with MACs derived from the IP
 * addresses) and encoded by {@link Ipv4Encoder}; already-built frames can be written as they are.
 */
public final class PcapWriter implements AutoCloseable {

    /** libpcap's {@code MAXIMUM_SNAPLEN}: no frame is cut. */
    public static final int SNAP_LENGTH = 262_144;

    private final String name;
    private final LinkType linkType;
    private final PcapHandle handle;
    private final PcapDumper dumper;
    private long count;

    private PcapWriter(String name, LinkType linkType, PcapHandle handle, PcapDumper dumper) {
        this.name = name;
        this.linkType = linkType;
        this.handle = handle;
        this.dumper = dumper;
    }

    /** Creates (or replaces) an Ethernet pcap file. */
    public static PcapWriter create(Path file) {
        return create(file, LinkType.ETHERNET);
    }

    /**
     * Creates (or replaces) a pcap file of the given link type.
     *
     * @throws CaptureException when the file cannot be created
     */
    public static PcapWriter create(Path file, LinkType linkType) {
        String name = file.toString();
        PcapHandle handle = null;
        try {
            handle = Pcaps.openDead(DataLinkType.getInstance(linkType.dlt()), SNAP_LENGTH,
                    PcapHandle.TimestampPrecision.NANO);
            PcapDumper dumper = handle.dumpOpen(name);
            return new PcapWriter(name, linkType, handle, dumper);
        } catch (PcapNativeException e) {
            if (handle != null) {
                handle.close();
            }
            String m = e.getMessage() == null ? "unknown error" : e.getMessage();
            int colon = m.lastIndexOf(": ");
            throw new CaptureException(name + ": cannot create (" + (colon >= 0 ? m.substring(colon + 2) : m) + ")",
                    -1, e);
        } catch (NotOpenException e) {
            throw new IllegalStateException("pcap handle closed while opening " + name, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CaptureException(LibpcapErrors.libraryMissing(name), -1, e);
        }
    }

    /** The file's link type. */
    public LinkType linkType() {
        return linkType;
    }

    /** Records written so far. */
    public long count() {
        return count;
    }

    /**
     * Writes {@code packet} framed for this file's link type.
     *
     * @param timestampNanos nanoseconds since the Unix epoch (simulated time 0 is 1970-01-01)
     * @throws IllegalArgumentException when the timestamp is negative or the packet cannot be encoded
     */
    public void write(long timestampNanos, Packet packet) {
        writeFrame(timestampNanos, LinkLayer.encode(linkType, packet));
    }

    /**
     * Writes an already-framed record as it is.
     *
     * @throws IllegalArgumentException when the timestamp is negative
     */
    public void writeFrame(long timestampNanos, byte[] frame) {
        if (timestampNanos < 0) {
            throw new IllegalArgumentException(name + ": negative timestamp " + timestampNanos + " ns");
        }
        Timestamp ts = new Timestamp(timestampNanos / 1_000_000_000L * 1000L);
        ts.setNanos((int) (timestampNanos % 1_000_000_000L));
        try {
            dumper.dumpRaw(frame, ts);
        } catch (NotOpenException e) {
            throw new IllegalStateException(name + ": writer is closed", e);
        }
        count++;
    }

    /** Flushes and closes the file. */
    @Override
    public void close() {
        dumper.close();
        handle.close();
    }
}
