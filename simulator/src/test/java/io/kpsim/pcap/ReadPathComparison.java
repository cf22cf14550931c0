package io.kpsim.pcap;

import java.io.EOFException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;

/** Not a test: compares pcap4j read paths on a large capture (see {@link ReadThroughput}). */
public final class ReadPathComparison {

    private ReadPathComparison() {}

    /** Entry point: {@code file}. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        for (int round = 0; round < 3; round++) {
            time("getNextRawPacketEx + timestamp + length", () -> {
                long n = 0;
                try (PcapHandle h = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO)) {
                    while (true) {
                        try {
                            h.getNextRawPacketEx();
                            n += h.getTimestamp().getNanos() + h.getOriginalLength() > 0 ? 1 : 1;
                        } catch (EOFException e) {
                            return n;
                        }
                    }
                }
            });
            time("loop(RawPacketListener) + timestamp", () -> {
                long[] n = {0};
                try (PcapHandle h = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO)) {
                    RawPacketListener listener =
                            packet -> n[0] += h.getTimestamp().getNanos() >= 0 ? 1 : 0;
                    h.loop(-1, listener);
                }
                return n[0];
            });
            time("pcap_next_ex direct (RecordCursor)", () -> {
                long n = 0;
                try (PcapHandle h = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO)) {
                    RecordCursor cursor = RecordCursor.on(h);
                    while (cursor.next() == PcapNextEx.RECORD) {
                        n += cursor.timestampNanos + cursor.originalLength > 0 ? 1 : 1;
                    }
                }
                return n;
            });
            time("dispatch(10000, RawPacketListener)", () -> {
                long[] n = {0};
                try (PcapHandle h = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO)) {
                    RawPacketListener listener = packet -> n[0]++;
                    while (h.dispatch(10_000, listener) > 0) {
                        // drain
                    }
                }
                return n[0];
            });
            List<byte[]> frames = new ArrayList<>();
            try (PcapReader reader = PcapReader.open(file)) {
                CaptureRecord r;
                while ((r = reader.next()) != null && frames.size() < 300_000) {
                    frames.add(r.frame());
                }
            }
            time("pure-Java pcap parse, no pcap4j (ceiling)", () -> pureJava(file));
            time("LinkLayer.decode only (300k frames in memory)", () -> {
                long n = 0;
                for (byte[] f : frames) {
                    n += LinkLayer.decode(LinkType.ETHERNET, f, f.length, false).isSkipped() ? 0 : 1;
                }
                return n;
            });
        }
    }

    private static long pureJava(Path file) throws java.io.IOException {
        long n = 0;
        try (java.io.DataInputStream in = new java.io.DataInputStream(
                new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 20))) {
            in.skipNBytes(24);
            byte[] header = new byte[16];
            while (in.read(header, 0, 1) == 1) {
                in.readFully(header, 1, 15);
                int caplen = (header[8] & 0xff)
                        | (header[9] & 0xff) << 8
                        | (header[10] & 0xff) << 16
                        | (header[11] & 0xff) << 24;
                byte[] frame = new byte[caplen];
                in.readFully(frame);
                n++;
            }
        }
        return n;
    }

    private interface Body {
        long run() throws Exception;
    }

    private static void time(String what, Body body) throws Exception {
        Stopwatch watch = new Stopwatch();
        long n = body.run();
        System.out.printf("%-46s %8d packets %s%n", what, n, watch.rates(n));
    }
}
