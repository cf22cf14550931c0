package io.kpsim.cluster;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.Tuple;
import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import io.kpsim.tcp.TcpSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Fires an {@link InjectionSpec}: finds the connection between the two pods, reads both ends'
 * current sequence state, and has the forging pod write a segment breaking the chosen bound.
 * A connection the server sees from a masqueraded address (a NodePort's, SNATed to the node's
 * address towards the pod, with a {@code --random-fully} port) is matched to the client through the
 * server node's conntrack entry, whose original tuple still holds the client's address and port.
 */
final class Injector implements Workload {

    private final InjectionSpec spec;
    private final Pod from;
    private final Pod client;
    private final Cluster cluster;

    Injector(InjectionSpec spec, Pod from, Pod client, Cluster cluster) {
        this.spec = spec;
        this.from = from;
        this.client = client;
        this.cluster = cluster;
    }

    @Override
    public void start() {
        cluster.simulation().scheduleAt(spec.atNanos(), this::fire);
    }

    private void fire() {
        List<TcpSocket> candidates = new ArrayList<>();
        for (TcpSocket s : from.openConnections()) {
            if (clientPort(s) >= 0) {
                candidates.add(s);
            }
        }
        int index = spec.connection() < 0 ? candidates.size() - 1 : spec.connection();
        if (index < 0 || index >= candidates.size()) {
            cluster.injectionsMissed++;
            if (cluster.tracer().on()) {
                cluster.tracer()
                        .packet(
                                cluster.simulation().now(),
                                -1,
                                TracePoint.POD_INJECT,
                                from.name(),
                                null,
                                "injection " + spec.kind() + " at " + Durations.format(spec.atNanos()) + " skipped: "
                                        + from.name() + " has " + candidates.size() + " open connections with "
                                        + client.name() + ", wanted #" + spec.connection());
            }
            return;
        }
        TcpSocket server = candidates.get(index);
        TcpSocket peer = null;
        for (TcpSocket s : client.openConnections()) {
            if (s.localPort() == clientPort(server)) {
                peer = s;
                break;
            }
        }
        if (peer == null) {
            cluster.injectionsMissed++;
            if (cluster.tracer().on()) {
                cluster.tracer()
                        .packet(
                                cluster.simulation().now(),
                                -1,
                                TracePoint.POD_INJECT,
                                from.name(),
                                null,
                                "injection " + spec.kind() + " skipped: " + client.name()
                                        + " has no open socket on port " + server.remotePort());
            }
            return;
        }
        from.inject(
                ForgedSegments.breaking(
                        spec.kind(),
                        spec.offsetBytes(),
                        server,
                        peer,
                        from.stack().config().windowScale(),
                        client.stack().config().rcvBufMaxBytes()),
                "injection " + spec.kind() + " on " + Ip4.format(server.localIp(), server.localPort()) + "<->"
                        + Ip4.format(server.remoteIp(), server.remotePort()));
    }

    /**
     * The client's port of the server's connection {@code s}, or -1 when it is not the client's: its
     * peer's port, or for a masqueraded connection the source port of the original tuple of the
     * server node's conntrack entry whose reply tuple is {@code s}'s.
     */
    private int clientPort(TcpSocket s) {
        if (s.remoteIp() == client.ip()) {
            return s.remotePort();
        }
        Conntrack ct = from.node().conntrack();
        long now = cluster.simulation().now();
        int entry = ct.find(new Tuple(Protocol.TCP, s.localIp(), s.localPort(), s.remoteIp(), s.remotePort()), now);
        if (entry == Conntrack.NO_ENTRY) {
            return -1;
        }
        Tuple original = ct.tuple(entry, CtDir.ORIGINAL);
        return original.srcIp() == client.ip() ? original.srcPort() : -1;
    }
}
