package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TraceListener;
import io.kpsim.pcap.LinkType;
import io.kpsim.pcap.PcapWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kpsim run --pcap DIR}: one capture per observation point, as tcpdump would take them
 * on a real cluster, with the simulated clock as nanosecond timestamps:
 * <ul>
 *   <li>{@code NODE.POD.veth.pcap}: the pod's veth, both directions, as the pod sees them (the
 *       client talks to the ClusterIP here; the escaped segment shows the pod IP);</li>
 *   <li>{@code NODE.before-nat.pcap}: every packet arriving at the node, before PREROUTING's DNAT;</li>
 *   <li>{@code NODE.after-nat.pcap}: every packet the node forwards, after NAT (and reverse NAT).</li>
 * </ul>
 * Frames are cut to a snap length (128 bytes by default, as {@code tcpdump -s 128}: every header of
 * a TCP segment with options, the original length kept in the record header), since the story is
 * in the headers and a full-size capture of a bulk download runs to tens of megabytes.
 * Existing files are refused unless forced, all targets are checked before anything is written,
 * and files are written under temporary names and renamed only when the run finished, so a
 * failed run leaves nothing half-written.
 */
public final class PcapRecorder implements TraceListener, AutoCloseable {

    /** Bytes kept of each frame unless told otherwise: Ethernet + IPv4 + TCP with options fit. */
    public static final int DEFAULT_SNAP_LENGTH = 128;

    private final Path dir;
    private final Map<String, String> podNodes;
    private final List<String> nodes;
    private final Map<String, PcapWriter> writers = new LinkedHashMap<>();
    private final Map<String, Path> temps = new LinkedHashMap<>();
    private boolean committed;
    private boolean writersClosed;

    private PcapRecorder(Path dir, Map<String, String> podNodes, List<String> nodes) {
        this.dir = dir;
        this.podNodes = podNodes;
        this.nodes = nodes;
    }

    /** The file names a run with these nodes and pods (pod name -> node name) writes, in order. */
    public static List<String> fileNames(List<String> nodes, Map<String, String> podNodes) {
        List<String> names = new ArrayList<>();
        for (String node : nodes) {
            names.add(node + ".before-nat.pcap");
            names.add(node + ".after-nat.pcap");
            for (Map.Entry<String, String> pod : podNodes.entrySet()) {
                if (pod.getValue().equals(node)) {
                    names.add(node + "." + pod.getKey() + ".veth.pcap");
                }
            }
        }
        return names;
    }

    /** {@link #open(Path, List, Map, boolean, int)} with {@link #DEFAULT_SNAP_LENGTH}. */
    public static PcapRecorder open(Path dir, List<String> nodes, Map<String, String> podNodes, boolean force) {
        return open(dir, nodes, podNodes, force, DEFAULT_SNAP_LENGTH);
    }

    /**
     * Checks every target and opens temporary files for them.
     *
     * @param podNodes pod name -> node name, in document order
     * @param snapLength bytes kept of each frame, 1..{@link PcapWriter#SNAP_LENGTH}, or 0 for whole frames
     * @throws IllegalArgumentException when a target exists and {@code force} is off (naming all of
     *                                  them), {@code dir} is not a directory, or the snap length is out
     *                                  of range
     */
    public static PcapRecorder open(
            Path dir, List<String> nodes, Map<String, String> podNodes, boolean force, int snapLength) {
        checkSnapLength(snapLength);
        List<String> names = fileNames(nodes, podNodes);
        check(dir, names, force);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot create the directory (" + e.getMessage() + ")", e);
        }
        PcapRecorder r = new PcapRecorder(dir, new LinkedHashMap<>(podNodes), List.copyOf(nodes));
        try {
            for (String name : names) {
                Path temp = dir.resolve("." + name + ".partial");
                r.temps.put(name, temp);
                r.writers.put(name, PcapWriter.create(temp, LinkType.ETHERNET, snapLength));
            }
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    /**
     * Checks a snap length: 0 (whole frames) or 1..{@link PcapWriter#SNAP_LENGTH}.
     *
     * @throws IllegalArgumentException naming the value and the range
     */
    public static void checkSnapLength(int snapLength) {
        if (snapLength < 0 || snapLength > PcapWriter.SNAP_LENGTH) {
            throw new IllegalArgumentException("snap length " + snapLength + " is out of range (expected 0 for whole"
                    + " frames, or 1.." + PcapWriter.SNAP_LENGTH + " bytes)");
        }
    }

    /**
     * Checks that captures named {@code names} may be written into {@code dir}, before anything
     * is: {@code dir} is a directory or absent, and no target exists unless {@code force}.
     *
     * @throws IllegalArgumentException naming every existing target, or the non-directory
     */
    public static void check(Path dir, List<String> names, boolean force) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": not a directory (--pcap wants a directory)");
        }
        List<String> existing = new ArrayList<>();
        for (String name : names) {
            if (Files.exists(dir.resolve(name))) {
                existing.add(dir.resolve(name).toString());
            }
        }
        if (!existing.isEmpty() && !force) {
            throw new IllegalArgumentException(
                    "refusing to overwrite " + String.join(", ", existing) + " (use --force to replace them)");
        }
    }

    @Override
    public void onEvent(TraceEvent e) {
        if (e.packet() == null) {
            return;
        }
        switch (e.point()) {
            case POD_SEND:
            case POD_INJECT:
            case POD_RECEIVE:
                write(podNodes.get(e.where()) + "." + e.where() + ".veth.pcap", e);
                break;
            case LINK_DELIVER: {
                int arrow = e.where().indexOf("->");
                String to = arrow < 0 ? "" : e.where().substring(arrow + 2);
                if (nodes.contains(to)) {
                    write(to + ".before-nat.pcap", e);
                }
                break;
            }
            case NODE_ROUTE:
                write(e.where() + ".after-nat.pcap", e);
                break;
            case LINK_SEND:
            case LINK_QUEUE_DROP:
            case LINK_LOSS:
            case LINK_DUPLICATE:
            case LINK_HOLD_BACK:
            case NODE_HOOK:
            case NODE_DROP:
            case SOCKET:
                break;
            default:
                throw new IllegalStateException("unhandled trace point " + e.point());
        }
    }

    private void write(String file, TraceEvent e) {
        PcapWriter w = writers.get(file);
        if (w != null) {
            w.write(e.timeNanos(), e.packet());
        }
    }

    /** The final paths, in {@link #fileNames} order, with the packets written to each. */
    public Map<Path, Long> counts() {
        Map<Path, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, PcapWriter> w : writers.entrySet()) {
            counts.put(dir.resolve(w.getKey()), w.getValue().count());
        }
        return counts;
    }

    /** Closes the files and gives them their final names. */
    public void commit() {
        closeWriters();
        try {
            for (Map.Entry<String, Path> t : temps.entrySet()) {
                Files.move(t.getValue(), dir.resolve(t.getKey()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        committed = true;
    }

    private void closeWriters() {
        if (!writersClosed) {
            writersClosed = true;
            for (PcapWriter w : writers.values()) {
                w.close();
            }
        }
    }

    /** Without {@link #commit()}: closes and deletes the temporary files. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        closeWriters();
        for (Path temp : temps.values()) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // best effort: the run already failed for another reason
            }
        }
        committed = true;
    }
}
