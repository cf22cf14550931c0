package io.kpsim.pcap;

import java.io.EOFException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * A record as libpcap reports it through pcap4j ({@code getNextRawPacketEx()}, {@code getTimestamp()},
 * {@code getOriginalLength()}): the oracle the tests of kpsim's own readers compare with.
 *
 * @param timestampNanos the capture time in nanoseconds since the epoch
 * @param originalLength the length on the wire
 * @param frame the captured bytes
 */
record Pcap4jRecord(long timestampNanos, int originalLength, byte[] frame) {

    /** Every record of {@code file}, read by libpcap at nanosecond precision. */
    static List<Pcap4jRecord> readAll(Path file) throws Exception {
        List<Pcap4jRecord> records = new ArrayList<>();
        try (PcapHandle h = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO)) {
            while (true) {
                byte[] frame;
                try {
                    frame = h.getNextRawPacketEx();
                } catch (EOFException e) {
                    return records;
                }
                Timestamp ts = h.getTimestamp(); // what ReadAheadPump computed from pcap4j's callback
                long nanos = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
                records.add(new Pcap4jRecord(nanos, h.getOriginalLength(), frame));
            }
        }
    }
}
