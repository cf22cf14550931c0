package io.kpsim.report;

import io.kpsim.cluster.LinkHopsListener;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.pcap.CaptureException;
import io.kpsim.pcap.LinkType;
import io.kpsim.pcap.PcapWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * failed run (a full disk included) leaves nothing half-written: its temporary files are removed.
 *
 * <p>Only one run writes a directory at a time ({@link CaptureDirectoryLock}, a lock on the hidden
 * file {@code .kpsim-pcap.lock} while the run writes): a second run is refused with the first
 * one's pid, so two runs can never interleave records in one file.
 *
 * <p>Interrupted ({@link #interrupt()}, on Ctrl-C or SIGTERM), the recorder closes every capture
 * after its last whole record, a valid pcap file, and gives it a visible name that says it is
 * partial: {@code NODE.before-nat.interrupted.pcap} (replacing an older file of that name).
 *
 * <p>What a link delivers to a node (the before-nat capture) comes with the node's verdict
 * ({@link TraceEvent#linkHops()}, read without making the hop's events), so the links make no
 * event per hop for a capture. The records are framed on a thread of their own
 * ({@link CaptureFramer}): the run's thread only writes down each packet's numbers.
 */
public final class PcapRecorder implements LinkHopsListener, AutoCloseable {

    /** Bytes kept of each frame unless told otherwise: Ethernet + IPv4 + TCP with options fit. */
    public static final int DEFAULT_SNAP_LENGTH = 128;

    /** What an interrupted run's capture is named instead of {@code NAME.pcap}. */
    static final String INTERRUPTED = ".interrupted.pcap";

    /** Where the recorder is; guarded by the recorder's monitor, as {@link #interrupt()} runs on another thread. */
    private enum State {
        RECORDING,
        COMMITTED,
        INTERRUPTED,
        DISCARDED
    }

    private final Path dir;
    private final Map<String, String> podNodes;
    private final List<String> nodes;
    private final Map<String, PcapWriter> writers = new LinkedHashMap<>();
    private final Map<String, Path> temps = new LinkedHashMap<>();
    /** Frames the records; a capture's index there is its place in {@link #writers}. */
    private CaptureFramer framer;
    /** Per trace point kind, the capture of each {@code where} seen: names built and capture indexes found once. */
    private final CaptureRoutes vethFiles;

    private final CaptureRoutes arrivalFiles = new CaptureRoutes(link -> route(arrivalFile(link)));
    private final CaptureRoutes routeFiles = new CaptureRoutes(node -> route(node + ".after-nat.pcap"));
    private final boolean createdDir;
    private CaptureDirectoryLock lock;
    private State state = State.RECORDING;
    private String interruptedWords;

    private PcapRecorder(Path dir, Map<String, String> podNodes, List<String> nodes, boolean createdDir) {
        this.dir = dir;
        this.podNodes = podNodes;
        this.nodes = nodes;
        this.createdDir = createdDir;
        this.vethFiles = new CaptureRoutes(pod -> route(podNodes.get(pod) + "." + pod + ".veth.pcap"));
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
     * Checks every target, claims the directory and opens temporary files for the captures.
     *
     * @param podNodes pod name -> node name, in document order
     * @param snapLength bytes kept of each frame, 1..{@link PcapWriter#SNAP_LENGTH}, or 0 for whole frames
     * @throws IllegalArgumentException when the snap length is out of range
     * @throws CaptureException when libpcap is missing, {@code dir} is not a usable directory (named,
     *         with the system's reason), another run holds it (with its pid), or a target exists and
     *         {@code force} is off (naming all of them)
     */
    public static PcapRecorder open(
            Path dir, List<String> nodes, Map<String, String> podNodes, boolean force, int snapLength) {
        checkSnapLength(snapLength);
        List<String> names = fileNames(nodes, podNodes);
        check(dir, names, force);
        PcapWriter.requireLibpcap(); // before any directory is made
        boolean created = !Files.exists(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CaptureException(
                    dir + ": cannot create the capture directory (" + CaptureDirectoryLock.reason(e) + ")", e);
        }
        PcapRecorder r = new PcapRecorder(dir, new LinkedHashMap<>(podNodes), List.copyOf(nodes), created);
        try {
            r.lock = CaptureDirectoryLock.acquire(dir);
            check(dir, names, force); // again under the lock: a run that held it may have written them
            for (String name : names) {
                Path temp = dir.resolve("." + name + ".partial");
                r.temps.put(name, temp);
                r.writers.put(name, PcapWriter.create(temp, LinkType.ETHERNET, snapLength));
            }
            r.framer = new CaptureFramer(
                    r.writers.values().toArray(new PcapWriter[0]), names.toArray(new String[0]), r::failed);
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
     * is: {@code dir} is named, is a directory or absent, and no target exists unless {@code force}.
     *
     * @throws CaptureException naming every existing target, or the non-directory
     */
    public static void check(Path dir, List<String> names, boolean force) {
        if (dir.toString().isEmpty()) {
            throw new CaptureException(
                    "the capture directory's name is empty (name a directory, e.g. /tmp/captures)", null);
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CaptureException(dir + ": not a directory (--pcap wants a directory)", null);
        }
        List<String> existing = new ArrayList<>();
        for (String name : names) {
            if (Files.exists(dir.resolve(name))) {
                existing.add(dir.resolve(name).toString());
            }
        }
        if (!existing.isEmpty() && !force) {
            throw new CaptureException(
                    "refusing to overwrite " + String.join(", ", existing) + " (use --force to replace them)", null);
        }
    }

    /**
     * The points whose packets go into a capture: pods' veths, a node's routing, and a link's arrival,
     * which comes with the node's verdict (routing or drop) or the pod's receipt; a LINK_DELIVER event
     * only for a packet the link duplicated or held back.
     */
    @Override
    public Set<TracePoint> points() {
        return EnumSet.of(
                TracePoint.POD_SEND,
                TracePoint.POD_INJECT,
                TracePoint.POD_RECEIVE,
                TracePoint.NODE_ROUTE,
                TracePoint.NODE_DROP);
    }

    /**
     * Writes down the event's records (up to two) for the framer thread, without the recorder's
     * monitor: {@link #interrupt()} and {@link #commit()} meet the run's thread in {@link CaptureFramer}.
     */
    @Override
    public void onEvent(TraceEvent e) {
        String link = e.linkHopWhere();
        if (link != null) { // the link's delivery, at this event's time, before what the node or pod did
            framer.append(arrivalFiles.of(link).capture(), e.timeNanos(), e.linkHopPacket());
        }
        if (e.packet() == null) {
            return;
        }
        switch (e.point()) {
            case POD_SEND, POD_INJECT, POD_RECEIVE ->
                framer.append(vethFiles.of(e.where()).capture(), e.timeNanos(), e.packet());
            case LINK_DELIVER -> framer.append(arrivalFiles.of(e.where()).capture(), e.timeNanos(), e.packet());
            case NODE_ROUTE -> framer.append(routeFiles.of(e.where()).capture(), e.timeNanos(), e.packet());
            case LINK_SEND,
                    LINK_QUEUE_DROP,
                    LINK_LOSS,
                    LINK_DUPLICATE,
                    LINK_HOLD_BACK,
                    NODE_HOOK,
                    NODE_DROP,
                    SOCKET -> {}
            default -> throw new IllegalStateException("unhandled trace point " + e.point());
        }
    }

    /** The capture of what a link {@code FROM->TO} delivers: TO's before-nat, or "" when TO is a pod. */
    private String arrivalFile(String link) {
        int arrow = link.indexOf("->");
        String to = arrow < 0 ? "" : link.substring(arrow + 2);
        return nodes.contains(to) ? to + ".before-nat.pcap" : "";
    }

    /** The capture named {@code file} and its index (-1 for "", a link's delivery to a pod). */
    private CaptureRoutes.Route route(String file) {
        synchronized (this) {
            return new CaptureRoutes.Route(file, List.copyOf(writers.keySet()).indexOf(file));
        }
    }

    private CaptureException failed(String file, CaptureException failure) {
        Throwable cause = failure.getCause();
        String why = cause instanceof IOException io ? CaptureDirectoryLock.reason(io) : failure.getMessage();
        return new CaptureException(
                dir + ": cannot write the capture " + file + " (" + why + "); the unfinished captures are removed",
                failure);
    }

    /** The final paths, in {@link #fileNames} order, with the packets written to each. */
    public synchronized Map<Path, Long> counts() {
        Map<Path, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, PcapWriter> w : writers.entrySet()) {
            counts.put(dir.resolve(w.getKey()), w.getValue().count());
        }
        return counts;
    }

    /**
     * Closes the files and gives them their final names. After {@link #interrupt()} it does
     * nothing: the files were closed and named then.
     *
     * @throws CaptureException when the last records cannot be written or a file cannot be renamed
     *         (then {@link #close()} removes what is left)
     */
    public synchronized void commit() {
        if (state == State.INTERRUPTED) {
            return;
        }
        if (state != State.RECORDING) {
            throw new IllegalStateException("captures in " + dir + " already " + state);
        }
        framer.finish();
        for (Map.Entry<String, PcapWriter> w : writers.entrySet()) {
            try {
                w.getValue().close();
            } catch (CaptureException failure) {
                throw failed(w.getKey(), failure);
            }
        }
        for (Map.Entry<String, Path> t : temps.entrySet()) {
            try {
                Files.move(
                        t.getValue(),
                        dir.resolve(t.getKey()),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new CaptureException(
                        dir + ": cannot give the capture " + t.getKey() + " its name (" + CaptureDirectoryLock.reason(e)
                                + ")",
                        e);
            }
        }
        state = State.COMMITTED;
        lock.close();
    }

    /**
     * For Ctrl-C or SIGTERM, from another thread while the run goes on: stops recording, closes
     * every capture after its last whole record (a valid pcap file tcpdump reads) and renames it
     * {@code NAME.interrupted.pcap}, a name a plain {@code ls} shows. Records after this call are
     * not written.
     *
     * @return what became of the captures, in words for the user
     */
    public synchronized String interrupt() {
        if (state != State.RECORDING) {
            return switch (state) {
                case COMMITTED -> "the captures were complete and are in " + dir;
                case DISCARDED -> "no capture was kept";
                case INTERRUPTED -> interruptedWords;
                case RECORDING -> throw new IllegalStateException("unreachable");
            };
        }
        state = State.INTERRUPTED;
        int failed = framer.stop(true);
        int kept = 0;
        long packets = 0;
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, PcapWriter> w : writers.entrySet()) {
            String name = w.getKey();
            Path temp = temps.get(name);
            try {
                w.getValue().close();
                if (kept + lost.size() == failed) { // this capture's index
                    throw new CaptureException(name + ": a write failed", null); // its end may be missing
                }
                Files.move(
                        temp,
                        dir.resolve(interruptedName(name)),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                kept++;
                packets += w.getValue().count();
            } catch (CaptureException | IOException e) {
                deleteQuietly(temp);
                lost.add(name);
            }
        }
        lock.close();
        interruptedWords = (kept == 0
                        ? "no capture was kept"
                        : "the captures so far were kept as valid pcap files in " + dir + ": " + kept
                                + (kept == 1 ? " file" : " files") + " named *" + INTERRUPTED + ", " + packets
                                + " packets in all")
                + (lost.isEmpty() ? "" : "; removed, as they could not be finished: " + String.join(", ", lost));
        return interruptedWords;
    }

    /** {@code NODE.before-nat.pcap} becomes {@code NODE.before-nat.interrupted.pcap}. */
    static String interruptedName(String name) {
        return name.substring(0, name.length() - ".pcap".length()) + INTERRUPTED;
    }

    /** Without {@link #commit()} or {@link #interrupt()}: closes and deletes the temporary files. */
    @Override
    public synchronized void close() {
        if (state != State.RECORDING) {
            return;
        }
        state = State.DISCARDED;
        if (framer != null) {
            framer.stop(false);
        }
        for (PcapWriter w : writers.values()) {
            try {
                w.close();
            } catch (CaptureException e) {
                // the run already failed (often for this very reason: a full disk); the file goes anyway
            }
        }
        for (Path temp : temps.values()) {
            deleteQuietly(temp);
        }
        if (lock != null) {
            lock.close();
        }
        if (createdDir) {
            deleteQuietly(dir); // only when empty: a directory this run made and left nothing in
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort: the run already failed for another reason (a non-empty directory stays)
        }
    }
}
