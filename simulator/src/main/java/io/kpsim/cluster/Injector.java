package io.kpsim.cluster;

import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import io.kpsim.tcp.TcpSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Fires an {@link InjectionSpec}: finds the connection between the two pods, reads both ends'
 * current sequence state, and has the forging pod write a segment breaking the chosen bound.
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
            if (s.remoteIp() == client.ip()) {
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
            if (s.localPort() == server.remotePort()) {
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
}
