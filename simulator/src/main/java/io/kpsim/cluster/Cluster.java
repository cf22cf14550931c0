package io.kpsim.cluster;

import io.kpsim.engine.RandomStreams;
import io.kpsim.engine.Simulation;
import io.kpsim.tcp.TcpCounter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A built cluster: nodes, pods, links and workloads on one {@link Simulation}, ready to run.
 * Made by {@link ClusterBuilder}; {@link #run(long)} may be called repeatedly to advance the same
 * run, and each call returns the counters so far.
 */
public final class Cluster {

    private final Simulation simulation = new Simulation();
    private final RandomStreams streams;
    private final Tracer tracer = new Tracer();
    private final ConnectionLedger ledger = new ConnectionLedger();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    /** Every TCP stack once: the pods with their own namespace, then each node's own stack. */
    private final List<Pod> endpoints = new ArrayList<>();

    private final Map<String, Link> links = new TreeMap<>();
    private List<Workload> workloads = List.of();
    private boolean started;
    private long nextPacketId;
    /** The id of the packet the pod stack is processing, for SOCKET trace events; -1 outside. */
    long currentPacketId = -1;

    long injectionsMissed;

    Cluster(long seed) {
        this.streams = new RandomStreams(seed);
    }

    void add(Node node) {
        nodes.put(node.name(), node);
    }

    void add(Pod pod) {
        pods.put(pod.name(), pod);
        endpoints.add(pod);
    }

    /** A node's own stack, and the hostNetwork pods (by name) that run on it. */
    void addHost(Pod host, List<String> hostNetworkPods) {
        endpoints.add(host);
        for (String name : hostNetworkPods) {
            pods.put(name, host);
        }
    }

    void add(Link link) {
        if (links.putIfAbsent(link.name(), link) != null) {
            throw new IllegalArgumentException("link " + link.name() + " is defined twice");
        }
    }

    void workloads(List<Workload> list) {
        this.workloads = List.copyOf(list);
    }

    long nextPacketId() {
        return nextPacketId++;
    }

    Tracer tracer() {
        return tracer;
    }

    ConnectionLedger ledger() {
        return ledger;
    }

    /** The simulation (its clock is the cluster's). */
    public Simulation simulation() {
        return simulation;
    }

    /** The seeded random streams every component draws from. */
    public RandomStreams streams() {
        return streams;
    }

    /**
     * Adds a trace listener. Must be called before the first {@link #run}; with no listener the
     * model builds no trace at all.
     */
    public void addTraceListener(TraceListener listener) {
        if (started) {
            throw new IllegalStateException("trace listeners must be added before the run starts");
        }
        tracer.add(listener);
        for (Node n : nodes.values()) {
            n.datapath().tracing(true);
        }
        for (Pod p : endpoints) {
            p.traceSockets();
        }
    }

    /** The nodes, in the order they were added. */
    public Map<String, Node> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    /**
     * The pods, in the order they were added; a hostNetwork pod's entry is its node's own stack
     * ({@link Node#host()}).
     */
    public Map<String, Pod> pods() {
        return Collections.unmodifiableMap(pods);
    }

    /** Every link by name. */
    public Map<String, Link> links() {
        return Collections.unmodifiableMap(links);
    }

    /** A node by name. */
    public Node node(String name) {
        Node n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node named '" + name + "'");
        }
        return n;
    }

    /** A pod by name. */
    public Pod pod(String name) {
        Pod p = pods.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no pod named '" + name + "'");
        }
        return p;
    }

    /** Runs {@code durationNanos} more of simulated time and returns the counters so far. */
    public ClusterResults run(long durationNanos) {
        advance(durationNanos);
        return results();
    }

    /**
     * Runs {@code durationNanos} more of simulated time without collecting the counters: for a
     * caller that runs in slices (a progress meter) and reads {@link #results()} once at the end.
     */
    public void advance(long durationNanos) {
        if (!started) {
            started = true;
            for (Workload w : workloads) {
                w.start();
            }
        }
        simulation.runFor(durationNanos);
    }

    /** The counters so far. */
    public ClusterResults results() {
        Map<String, Long> invalid = new TreeMap<>();
        Map<String, Long> ignored = new TreeMap<>();
        long invalidDropped = 0;
        long unroutable = 0;
        for (Node n : nodes.values()) {
            invalid.put(n.name(), n.invalid);
            ignored.put(n.name(), n.ignored);
            invalidDropped += n.invalidDropped;
            unroutable += n.unroutable;
        }
        long sent = 0;
        long injected = 0;
        long retransmitted = 0;
        for (Pod p : endpoints) {
            sent += p.packetsSent;
            injected += p.packetsInjected;
            retransmitted += p.stack().counters().get(TcpCounter.RETRANSMITTED_SEGMENTS);
        }
        Map<String, LinkStats> linkStats = new TreeMap<>();
        for (Link l : links.values()) {
            linkStats.put(l.name(), l.stats());
        }
        return new ClusterResults(
                simulation.now(),
                simulation.eventsProcessed(),
                ledger.opened,
                ledger.established,
                ledger.downloadsCompleted,
                ledger.downloadsFailed,
                ledger.loopsCompleted,
                ledger.resets,
                ledger.clientResets,
                ledger.serverResets,
                invalid,
                ignored,
                invalidDropped,
                sent,
                injected,
                injectionsMissed,
                retransmitted,
                unroutable,
                linkStats);
    }
}
