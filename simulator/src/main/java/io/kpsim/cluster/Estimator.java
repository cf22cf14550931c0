package io.kpsim.cluster;

import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.TableMemory;
import io.kpsim.tcp.TcpConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prices a cluster's run before it is built ({@link ClusterBuilder#estimate}). Each client
 * connection's throughput is the least of its receive window over the round trip (TCP is window
 * limited), its reader's rate, and its share of the slowest link on the data's path; its packets in
 * flight are that throughput times the round trip (plus its share of a rate-limited link's queue),
 * at most one window. Downloads run back to back in their {@code parallel} slots; a connect loop
 * opens its {@code count}. Connections stay in memory for TIME_WAIT after they close, conntrack
 * entries for {@code nf_conntrack_tcp_timeout_time_wait}.
 *
 * <p>Memory is priced with the model's measured costs (heap after GC, OpenJDK 17, compressed
 * oops; {@code EstimateTest} checks the estimate against measured runs):
 *
 * <ul>
 *   <li>a node: 80 KB, plus its conntrack table as {@link TableMemory} prices it: the bucket heads
 *       ({@code nf_conntrack_buckets}, about 1 MB by default) and about 136 B per entry held at the
 *       peak, the room the table is built with ({@link RunEstimate#conntrackReservations}), 272 B past it (doubling);
 *   <li>a pod: 3.5 KB;
 *   <li>a connection (both sockets, the workloads' state, the ledger): 820 B, 1.15 KB when the run
 *       is narrated (the story keeps a view of each endpoint of every connection it saw, to explain
 *       windows and resets, until the run ends); measured by {@code bench.ScaleMemory} on
 *       {@code benchmarks/scenarios/scale-100k.yaml} after session 11's sockets: 750 B beside the
 *       conntrack arrays quiet and 1,055 B narrated (902 and 1,208 after session 10, 983 and 1,289
 *       after session 9), priced 9% above;
 *   <li>a packet in flight (the packet, its link slot and event): 400 B, 1.8 KB when narrated (its
 *       path of trace events is kept until it arrives);
 *   <li>the JVM, the command line and the scenario: 16 MiB.
 * </ul>
 */
final class Estimator {

    static final long NODE_BYTES = 80_000;
    static final long POD_BYTES = 3_500;
    static final long CONNECTION_BYTES = 820;
    static final long CONNECTION_BYTES_NARRATED = 1_150;
    static final long PACKET_BYTES = 400;
    static final long PACKET_BYTES_NARRATED = 1_800;
    /** The three packets of a handshake. */
    static final long HANDSHAKE_PACKETS = 3;
    /** The four packets of a close: a FIN and its ACK each way. */
    static final long CLOSE_PACKETS = 4;
    /** The boom segment and the client's answer to it. */
    static final long BOOM_PACKETS = 2;

    private final Map<String, NodeSpec> nodes;
    private final Map<String, PodSpec> pods;
    private final List<ServiceSpec> services;
    private final Map<String, LinkImpairments> links;
    private final LinkImpairments defaultNodeLink;
    private final boolean fullMesh;
    private final List<WorkloadSpec> workloads;
    private final int injections;

    Estimator(
            Map<String, NodeSpec> nodes,
            Map<String, PodSpec> pods,
            List<ServiceSpec> services,
            Map<String, LinkImpairments> links,
            LinkImpairments defaultNodeLink,
            boolean fullMesh,
            List<WorkloadSpec> workloads,
            int injections) {
        this.nodes = nodes;
        this.pods = pods;
        this.services = services;
        this.links = links;
        this.defaultNodeLink = defaultNodeLink;
        this.fullMesh = fullMesh;
        this.workloads = workloads;
        this.injections = injections;
    }

    /** One client workload's connections to one server pod (a service's endpoints share them). */
    private static final class Flow {
        final WorkloadSpec workload;
        final PodSpec client;
        /** The server pod, or {@code null} when nothing listens at the client's address. */
        final PodSpec server;
        /** The part of the workload's connections that go to this server (a service spreads them). */
        final double share;
        /** The links the data crosses, server to client (none when no server answers). */
        final List<String> dataPath = new ArrayList<>();

        long rttNanos;
        double bytesPerNano;
        long inFlightPackets;

        Flow(WorkloadSpec workload, PodSpec client, PodSpec server, double share) {
            this.workload = workload;
            this.client = client;
            this.server = server;
            this.share = share;
        }
    }

    /** What one flow costs over the run: connections opened, and at its peak, alive and in flight. */
    private record Cost(
            double started, double active, double lingerNanos, double packets, double data, double inFlight) {}

    /** The sums over a run's flows: packets, data, connections opened and at the peak, entries by node. */
    private record Tally(
            double packets,
            double data,
            double connections,
            double alive,
            double inFlight,
            Map<String, Double> entries) {}

    RunEstimate estimate(long durationNanos, boolean narrated) {
        Tally t = tally(durationNanos);
        long build = RunEstimate.JVM_BYTES + pods.size() * POD_BYTES;
        long peak = build;
        Map<String, Long> reservations = new HashMap<>();
        for (NodeSpec n : nodes.values()) {
            double entries = t.entries().getOrDefault(n.name(), 0.0);
            long reserved = TableMemory.reservation(entries, n.sysctls().max());
            build += nodeBytes(n.sysctls(), 0, reserved);
            peak += nodeBytes(n.sysctls(), entries, reserved);
            reservations.put(n.name(), reserved);
        }
        peak += (long) (t.alive() * (narrated ? CONNECTION_BYTES_NARRATED : CONNECTION_BYTES));
        peak += (long) (t.inFlight() * (narrated ? PACKET_BYTES_NARRATED : PACKET_BYTES));
        return new RunEstimate(
                (long) t.packets(),
                (long) t.data(),
                (long) Math.ceil(t.connections()),
                (long) Math.ceil(t.alive()),
                (long) t.inFlight(),
                build,
                peak,
                reservations);
    }

    private Tally tally(long durationNanos) {
        List<Flow> flows = flows();
        Map<String, Double> sharers = new HashMap<>();
        for (Flow f : flows) {
            for (String link : f.dataPath) {
                if (impairments(link).bytesPerSecond() > 0) {
                    sharers.merge(link, parallel(f), Double::sum);
                }
            }
        }
        double packets = injections;
        double data = 0;
        double connections = 0;
        double alive = 0;
        double inFlight = 0;
        Map<String, Double> entries = new HashMap<>();
        for (Flow f : flows) {
            throughput(f, sharers);
            long span = Math.max(0, durationNanos - startNanos(f.workload));
            Cost c = switch (f.workload.kind()) {
                case DOWNLOAD -> download(f, (DownloadClientSpec) f.workload, span);
                case CONNECT_LOOP -> connectLoop(f, (ConnectLoopSpec) f.workload, span);
                case FILE_SERVER, BOOM_SERVER -> throw new IllegalStateException("a server has no flow");
            };
            packets += c.packets();
            data += c.data();
            inFlight += c.inFlight();
            connections += c.started();
            alive += lingering(c, c.lingerNanos(), span);
            for (String node : pathNodes(f)) {
                if (!nodes.containsKey(node)) {
                    continue; // build() refuses a pod on an unknown node
                }
                long timeWait = nodes.get(node).sysctls().get("nf_conntrack_tcp_timeout_time_wait");
                entries.merge(node, lingering(c, timeWait * 1e9, span), Double::sum);
            }
        }
        return new Tally(packets, data, connections, alive, inFlight, entries);
    }

    /**
     * Connections held at the peak: the active ones, and of the closed ones those that closed within
     * {@code lingerNanos} (TIME_WAIT) of the end, closings spread evenly over the run's {@code span}.
     */
    private static double lingering(Cost c, double lingerNanos, long span) {
        return Math.min(c.started(), c.active() + c.started() * Math.min(1.0, lingerNanos / Math.max(1, span)));
    }

    /**
     * Downloads back to back in {@code parallel} slots: a round trip each for the handshake and the
     * request, slow start's round trips up to the window (RFC 5681: the window doubles each round
     * trip from the initial one), then the file at the connection's throughput.
     */
    private static Cost download(Flow f, DownloadClientSpec d, long span) {
        double initial = (f.server == null ? f.client : f.server).tcp().initialCwndSegments() * (double) mss(f);
        double slowStart = Math.max(0, Math.log(window(f) / initial) / Math.log(2));
        double perDownload = (2.0 + slowStart) * f.rttNanos + d.fileBytes() / f.bytesPerNano;
        double slots = parallel(f);
        double rounds = span == 0 ? 0 : Math.ceil(span / perDownload);
        double wanted = d.downloads() == 0 ? Double.MAX_VALUE : d.downloads() * f.share;
        double started = Math.min(wanted, slots * rounds);
        double bytes = f.server == null ? 0 : Math.min(started * d.fileBytes(), slots * f.bytesPerNano * span);
        double active = Math.min(slots, started);
        return new Cost(
                started,
                active,
                f.client.tcp().timeWaitNanos(),
                2.0 * Math.ceil(bytes / mss(f)) + (HANDSHAKE_PACKETS + 2 + CLOSE_PACKETS) * started,
                bytes + started * DownloadClientSpec.REQUEST_BYTES,
                f.server == null ? 0 : active * f.inFlightPackets);
    }

    /**
     * A connection every interval, idle until the server closes it: a boom server after its
     * {@code closeAfter}, a file server never (it waits for a request).
     */
    private Cost connectLoop(Flow f, ConnectLoopSpec c, long span) {
        double fit = span == 0 ? 0 : Math.floor((double) (span - 1) / c.intervalNanos()) + 1;
        double started = (c.count() == 0 ? fit : Math.min(c.count(), fit)) * f.share;
        BoomServerSpec boom = f.server == null ? null : boomServerOn(f.server);
        double closed = boom == null ? 0 : started * Math.max(0.0, span - boom.closeAfterNanos()) / Math.max(1, span);
        return new Cost(
                started,
                started,
                f.server == null ? 0 : f.server.tcp().timeWaitNanos(),
                HANDSHAKE_PACKETS * started + (boom == null ? 0 : BOOM_PACKETS * started) + CLOSE_PACKETS * closed,
                boom == null ? 0 : started * BoomServerSpec.PAYLOAD_BYTES,
                0);
    }

    /**
     * A node's heap: its fixed part and its conntrack table, built with room for {@code reserved}
     * entries and holding {@code entries} at once, at most {@code nf_conntrack_max} ({@link TableMemory}).
     */
    static long nodeBytes(Sysctls sysctls, double entries, long reserved) {
        long max = sysctls.max();
        double held = max == 0 ? entries : Math.min(entries, max);
        return NODE_BYTES + TableMemory.bytesAtPeak((long) Math.ceil(held), reserved, sysctls.buckets());
    }

    private List<Flow> flows() {
        List<Flow> flows = new ArrayList<>();
        for (WorkloadSpec w : workloads) {
            switch (w.kind()) {
                case DOWNLOAD -> {
                    DownloadClientSpec d = (DownloadClientSpec) w;
                    addFlows(flows, w, d.serverIp(), d.serverPort());
                }
                case CONNECT_LOOP -> {
                    ConnectLoopSpec c = (ConnectLoopSpec) w;
                    addFlows(flows, w, c.serverIp(), c.serverPort());
                }
                case FILE_SERVER, BOOM_SERVER -> {
                    // A server's connections are its clients' flows.
                }
            }
        }
        return flows;
    }

    /** The flows of one client: to the endpoints of the service at {@code ip:port}, or to the pod at {@code ip}. */
    private void addFlows(List<Flow> flows, WorkloadSpec w, int ip, int port) {
        PodSpec client = pods.get(w.pod());
        if (client == null) {
            return; // build() refuses it
        }
        List<PodSpec> servers = new ArrayList<>();
        for (ServiceSpec s : services) {
            if (s.clusterIp() == ip && s.port(port).isPresent()) {
                for (String endpoint : s.endpoints()) {
                    PodSpec server = pods.get(endpoint);
                    if (server != null) {
                        servers.add(server);
                    }
                }
            }
        }
        if (servers.isEmpty()) {
            for (PodSpec p : pods.values()) {
                if (p.ip() == ip) {
                    servers.add(p);
                }
            }
        }
        if (servers.isEmpty()) {
            servers.add(null); // nobody answers: the connections are opened all the same
        }
        for (PodSpec server : servers) {
            Flow f = new Flow(w, client, server, 1.0 / servers.size());
            long roundTrip = 0;
            if (server != null) {
                f.dataPath.addAll(path(server, client));
                for (String link : f.dataPath) {
                    roundTrip += meanDelay(link);
                }
                for (String link : path(client, server)) {
                    roundTrip += meanDelay(link);
                }
            }
            f.rttNanos = Math.max(1, roundTrip);
            flows.add(f);
        }
    }

    /** Throughput and packets in flight of one of {@code f}'s connections. */
    private void throughput(Flow f, Map<String, Double> sharers) {
        double window = window(f);
        double rate = window / f.rttNanos;
        if (f.workload instanceof DownloadClientSpec d && d.readBytesPerSecond() != DownloadClientSpec.READ_INSTANTLY) {
            rate = Math.min(rate, d.readBytesPerSecond() / 1e9);
        }
        double queue = 0;
        for (String link : f.dataPath) {
            LinkImpairments imp = impairments(link);
            double share = Math.max(1.0, sharers.getOrDefault(link, 1.0));
            if (imp.bytesPerSecond() > 0 && imp.bytesPerSecond() / 1e9 / share < rate) {
                rate = imp.bytesPerSecond() / 1e9 / share;
                queue = imp.queueLimitBytes() / share;
            }
        }
        f.bytesPerNano = Math.max(rate, 1e-9);
        double inFlightBytes = Math.min(window, rate * f.rttNanos + queue);
        f.inFlightPackets = (long) Math.ceil(inFlightBytes / mss(f));
    }

    /** The most data one connection can have in flight: the receiver's window, the sender's buffer, the file. */
    private static double window(Flow f) {
        TcpConfig receiver = f.client.tcp();
        TcpConfig sender = f.server == null ? receiver : f.server.tcp();
        double window = receiver.rcvBufMaxBytes() / 2.0;
        if (sender.sndBufBytes() > 0) {
            window = Math.min(window, sender.sndBufBytes() / 2.0);
        }
        if (f.workload instanceof DownloadClientSpec d) {
            window = Math.min(window, d.fileBytes());
        }
        return Math.max(window, mss(f));
    }

    private static int mss(Flow f) {
        return f.server == null
                ? f.client.tcp().mss()
                : Math.min(f.client.tcp().mss(), f.server.tcp().mss());
    }

    /** The connections {@code f} keeps transferring at once: its share of a download's parallel slots. */
    private static double parallel(Flow f) {
        return switch (f.workload.kind()) {
            case DOWNLOAD -> ((DownloadClientSpec) f.workload).parallel() * f.share;
            case CONNECT_LOOP, FILE_SERVER, BOOM_SERVER -> 0;
        };
    }

    private static long startNanos(WorkloadSpec w) {
        return switch (w.kind()) {
            case DOWNLOAD -> ((DownloadClientSpec) w).startNanos();
            case CONNECT_LOOP -> ((ConnectLoopSpec) w).startNanos();
            case FILE_SERVER, BOOM_SERVER -> 0;
        };
    }

    private BoomServerSpec boomServerOn(PodSpec server) {
        for (WorkloadSpec w : workloads) {
            if (w.kind() == WorkloadKind.BOOM_SERVER && w.pod().equals(server.name())) {
                return (BoomServerSpec) w;
            }
        }
        return null;
    }

    /** The links a packet from pod {@code from} to pod {@code to} crosses, by name. */
    private static List<String> path(PodSpec from, PodSpec to) {
        List<String> path = new ArrayList<>();
        path.add(from.name() + "->" + from.node());
        if (!from.node().equals(to.node())) {
            path.add(from.node() + "->" + to.node());
        }
        path.add(to.node() + "->" + to.name());
        return path;
    }

    private static List<String> pathNodes(Flow f) {
        return f.server == null || f.client.node().equals(f.server.node())
                ? List.of(f.client.node())
                : List.of(f.client.node(), f.server.node());
    }

    private LinkImpairments impairments(String link) {
        LinkImpairments configured = links.get(link);
        if (configured != null) {
            return configured;
        }
        String[] ends = link.split("->", 2);
        boolean nodePair = nodes.containsKey(ends[0]) && nodes.containsKey(ends[1]);
        return nodePair ? (fullMesh ? defaultNodeLink : LinkImpairments.delay(0)) : LinkImpairments.veth();
    }

    private long meanDelay(String link) {
        LinkImpairments imp = impairments(link);
        return imp.delayNanos() + imp.jitterNanos() / 2;
    }
}
