package io.kpsim.oracle;

import io.kpsim.pcap.CaptureException;
import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.LinkType;
import io.kpsim.pcap.OffloadedChecksum;
import io.kpsim.pcap.PcapReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a capture (pcap or pcapng, through {@link PcapReader}) down to the exact IPv4 bytes of
 * each record, which is what the oracle injects: never re-encoded, so bad checksums, odd options
 * and padding reach the kernel exactly as captured. One change only: a TCP or UDP checksum the
 * sender left to its NIC ({@code CHECKSUM_PARTIAL}, the pseudo-header sum alone) is completed
 * ({@link OffloadedChecksum}), as it was before it left the sending host; injected as captured,
 * the oracle's kernel would find it bad where the node's did not.
 *
 * <p>Records the reader skips keep their index and reason, as in {@code kpsim replay}, so the two
 * sides stay aligned. A record cut short by the capture's snap length is skipped here too: the
 * oracle cannot inject bytes it does not have.
 */
final class CaptureFile {

    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88a8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;

    /**
     * One record.
     *
     * @param index 0-based position in the file
     * @param ipv4 the IPv4 packet bytes (header onwards), {@code null} when skipped
     * @param headers the parsed headers, {@code null} when skipped
     * @param skipped why the record is not replayed, else {@code null}
     * @param checksumCompleted whether an offloaded ({@code CHECKSUM_PARTIAL}) checksum was completed
     */
    record Record(int index, byte[] ipv4, WireIpv4 headers, String skipped, boolean checksumCompleted) {}

    private CaptureFile() {}

    /**
     * Reads every record of {@code path}.
     *
     * @throws CaptureException one line naming the file (and record) kpsim cannot read: the
     *     user's input, exit 2
     */
    static List<Record> read(Path path) {
        List<Record> records = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(path)) {
            LinkType type = reader.linkType();
            for (CaptureRecord r : reader) {
                records.add(record(type, r));
            }
        }
        return records;
    }

    private static Record record(LinkType type, CaptureRecord r) {
        int index = (int) r.index();
        if (r.isSkipped()) {
            return new Record(index, null, null, r.skipped(), false);
        }
        if (r.snapped()) {
            return new Record(
                    index, null, null, "cut short by the capture's snap length; the oracle cannot inject it", false);
        }
        byte[] f = r.frame();
        int offset = type.headerLength();
        if (type == LinkType.ETHERNET || type == LinkType.LINUX_SLL || type == LinkType.LINUX_SLL2) {
            int at = type == LinkType.LINUX_SLL2 ? 0 : offset - 2;
            int ethertype = u16(f, at);
            while (ethertype == ETHERTYPE_VLAN || ethertype == ETHERTYPE_QINQ || ethertype == ETHERTYPE_QINQ_OLD) {
                ethertype = u16(f, offset + 2);
                offset += 4;
            }
        }
        int total = u16(f, offset + 2);
        if (offset + total > f.length) {
            // PcapReader skips such a record (ip_rcv() drops it); copyOfRange would pad it with zeros
            throw new IllegalStateException("record " + index + ": IPv4 total length " + total + " at offset " + offset
                    + " runs past the " + f.length + "-byte frame, yet the reader did not skip it");
        }
        byte[] ipv4 = Arrays.copyOfRange(f, offset, offset + total);
        boolean completed = r.decoded().l4ChecksumOffloaded() && OffloadedChecksum.complete(ipv4);
        return new Record(index, ipv4, WireIpv4.parse(ipv4, 0), null, completed);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }
}
