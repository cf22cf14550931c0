package io.kpsim.cluster;

import java.util.Locale;
import java.util.Map;

/**
 * How big a run will be, worked out from the specs before anything is built: how many packets the
 * pods send, how many bytes of data they move, how many connections they open, and how much Java
 * heap the model needs at its peak. It is an estimate (the model's throughput depends on what
 * happens in the run), priced with the model's measured costs ({@link ClusterBuilder#estimate}), so
 * a run that would exhaust the heap can be refused before it starts instead of dying half way.
 *
 * @param packets packets the pods send (data, acknowledgements, handshakes and closes)
 * @param dataBytes bytes of application data the pods send
 * @param connections TCP connections opened
 * @param peakConnections connections alive at once at the peak (open or in TIME_WAIT)
 * @param peakPacketsInFlight packets on the links at once at the peak (the windows in flight)
 * @param buildBytes heap the built cluster takes before it runs (nodes' conntrack tables, pods)
 * @param peakMemoryBytes heap the run needs at its peak, the JVM's own share included
 * @param conntrackReservations the conntrack entries to reserve room for in each node's table
 *     before the run ({@code Conntrack.reserve}, {@code TableMemory.reservation}), by node name: the
 *     entries it holds at once at the peak and a little more, 0 for a table its first arrays do
 */
public record RunEstimate(
        long packets,
        long dataBytes,
        long connections,
        long peakConnections,
        long peakPacketsInFlight,
        long buildBytes,
        long peakMemoryBytes,
        Map<String, Long> conntrackReservations) {

    /** Copies the reservations, which stay as they were given. */
    public RunEstimate {
        conntrackReservations = Map.copyOf(conntrackReservations);
    }

    /** The part of {@link #peakMemoryBytes} and {@link #buildBytes} that is the JVM's, the CLI's and the input's. */
    public static final long JVM_BYTES = 16L << 20;

    /**
     * One line for people, with the word "estimated" in it: {@code estimated 1.2M packets, 1.7 GiB of
     * data, 10 connections (10 at once), peak memory 95 MiB}.
     */
    public String describe() {
        return "estimated " + count(packets) + (packets == 1 ? " packet, " : " packets, ") + bytes(dataBytes)
                + " of data, " + count(connections) + (connections == 1 ? " connection (" : " connections (")
                + count(peakConnections) + " at once), peak memory " + bytes(peakMemoryBytes);
    }

    /** A count for people: exact below 100,000, else with a k, M or G suffix and one decimal. */
    static String count(long n) {
        if (n < 100_000) {
            return String.format(Locale.ROOT, "%,d", n);
        }
        String[] suffix = {"k", "M", "G", "T"};
        double v = n;
        int i = -1;
        while (v >= 1000 && i < suffix.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, suffix[i]);
    }

    /** Bytes for people, in binary units with one decimal: {@code 512 B}, {@code 1.5 MiB}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
