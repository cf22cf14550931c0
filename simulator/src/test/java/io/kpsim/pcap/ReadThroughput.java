package io.kpsim.pcap;

import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Throughput of reading and decoding a large capture: not a test (surefire does not run it).
 *
 * <p>Run after {@code mvn -o -q test-compile -pl simulator}:
 * {@code java -cp simulator/target/classes:simulator/target/test-classes:$(deps) io.kpsim.pcap.ReadThroughput
 * /tmp/kpsim-1m.pcap 1000000}. It writes the capture (many concurrent TCP connections) when the file
 * does not exist, then reads it several times through {@link PcapReader} and prints packets/s by
 * wall clock and by CPU time of the consuming thread, the whole process and the read-ahead thread
 * (the CPU rates are what a shared, loaded machine can still measure).
 */
public final class ReadThroughput {

    private ReadThroughput() {}

    /** Entry point: {@code [file] [packets] [connections]}. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/kpsim-1m.pcap");
        int packets = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        if (!Files.exists(file)) {
            long start = System.nanoTime();
            write(file, packets, connections);
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "wrote %d packets (%d connections) to %s in %.2f s (%.0f packets/s), %d MB%n",
                    packets, connections, file, s, packets / s, Files.size(file) >> 20);
        }
        for (int round = 0; round < 5; round++) {
            Stopwatch watch = new Stopwatch();
            long pumpCpu = -1;
            long count = 0;
            long checksum = 0;
            try (PcapReader reader = PcapReader.open(file)) {
                CaptureRecord record;
                while ((record = reader.next()) != null) {
                    count++;
                    if (count == packets * 9L / 10) {
                        pumpCpu = pumpThreadCpu(file);
                    }
                    if (!record.isSkipped()) {
                        checksum +=
                                record.packet().srcPort() + (record.decoded().l4ChecksumValid() ? 1 : 0);
                    }
                }
            }
            System.out.printf(
                    "round %d: read+decode %d packets in %s (check %d)%n", round, count, watch.rates(count), checksum);
            System.out.printf(
                    "         read-ahead thread: %,.0f packets/s of its own CPU (measured at 90%%)%n",
                    packets * 0.9 / (pumpCpu / 1e9));
        }
    }

    private static long pumpThreadCpu(Path file) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("kpsim-pcap-reader " + file)) {
                return threads.getThreadCpuTime(t.getId());
            }
        }
        return -1;
    }

    /** Writes {@code packets} packets of {@code connections} interleaved TCP connections. */
    static void write(Path file, int packets, int connections) {
        SplittableRandom random = new SplittableRandom(42);
        int[] clientSeq = new int[connections];
        int[] serverSeq = new int[connections];
        for (int c = 0; c < connections; c++) {
            clientSeq[c] = random.nextInt();
            serverSeq[c] = random.nextInt();
        }
        int server = Packets.SERVER;
        try (PcapWriter writer = PcapWriter.create(file)) {
            for (int i = 0; i < packets; i++) {
                int c = random.nextInt(connections);
                int client = Packets.CLIENT + (c >>> 8);
                int port = 10_000 + (c & 0xff) * 64 + (c >>> 16);
                boolean fromClient = random.nextInt(3) == 0;
                int length = fromClient ? random.nextInt(200) : random.nextInt(1449);
                TcpOptions ts = TcpOptions.NONE.withTimestamps(i, i - 1);
                Packet p;
                if (fromClient) {
                    p = Packet.tcp(
                            client,
                            server,
                            new TcpSegment(
                                    port,
                                    80,
                                    clientSeq[c],
                                    serverSeq[c],
                                    TcpFlags.ACK | TcpFlags.PSH,
                                    502,
                                    0,
                                    ts,
                                    length));
                    clientSeq[c] += length;
                } else {
                    p = Packet.tcp(
                            server,
                            client,
                            new TcpSegment(80, port, serverSeq[c], clientSeq[c], TcpFlags.ACK, 509, 0, ts, length));
                    serverSeq[c] += length;
                }
                writer.write(1_700_000_000_000_000_000L + i * 1000L, p);
            }
        }
    }
}
