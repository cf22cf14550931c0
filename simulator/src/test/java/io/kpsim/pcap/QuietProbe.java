package io.kpsim.pcap;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: run in a child JVM by {@link QuietnessTest}. Loads pcap4j and libpcap, writes, reads
 * and provokes every error; must print nothing itself. Exits 3 if an expected error did not happen.
 */
public final class QuietProbe {

    private QuietProbe() {}

    /**
     * Entry point: {@code directory}, or {@code directory missing-libpcap} to print the one-line
     * error a user without libpcap sees (run with pcap4j pointed at a library that does not exist).
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        if (args.length > 1) {
            Path file = Files.writeString(dir.resolve("any.pcap"), "x");
            for (int attempt = 0; attempt < 2; attempt++) { // the second attempt meets a failed class init
                try {
                    PcapReader.open(file).close();
                } catch (CaptureException e) {
                    System.out.println(e.getMessage());
                }
            }
            try {
                PcapWriter.create(dir.resolve("out.pcap")).close();
            } catch (CaptureException e) {
                System.out.println(e.getMessage());
            }
            System.exit(0);
        }
        Path good = dir.resolve("good.pcap");
        try (PcapWriter writer = PcapWriter.create(good)) {
            writer.write(1, Packets.syn());
            writer.write(2, Packets.udp());
        }
        int records = 0;
        try (PcapReader reader = PcapReader.open(good)) {
            for (CaptureRecord r : reader) {
                records += r.isSkipped() ? 0 : 1;
            }
        }
        Path text = Files.writeString(dir.resolve("x.txt"), "not a capture");
        Path wifi =
                CaptureFiles.pcap(105, java.nio.ByteOrder.LITTLE_ENDIAN, false).writeTo(dir.resolve("w.pcap"));
        byte[] frame = LinkLayer.encode(LinkType.ETHERNET, Packets.syn());
        Path truncated = CaptureFiles.pcap(1, java.nio.ByteOrder.LITTLE_ENDIAN, false)
                .record(0, java.util.Arrays.copyOf(frame, 10), frame.length, frame.length)
                .writeTo(dir.resolve("t.pcap"));
        int errors = 0;
        for (Path bad : new Path[] {dir.resolve("missing.pcap"), text, wifi, truncated, dir}) {
            try (PcapReader reader = PcapReader.open(bad)) {
                while (reader.next() != null) {
                    records++;
                }
            } catch (CaptureException e) {
                errors++;
            }
        }
        try {
            PcapWriter.create(dir.resolve("no/dir/x.pcap")).close();
        } catch (CaptureException e) {
            errors++;
        }
        System.exit(records == 2 && errors == 6 ? 0 : 3);
    }
}
