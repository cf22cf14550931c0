package io.kpsim.tcp;

import io.kpsim.engine.Durations;
import io.kpsim.engine.RandomStreams;
import io.kpsim.engine.Simulation;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Two TCP stacks joined by an in-memory wire with a one-way delay, built on the engine. A
 * {@link Tap} sees every packet and may drop it or hold it back; everything is logged.
 */
class TestNet {

    static final int CLIENT_IP = Ip4.parse("10.0.0.1");
    static final int SERVER_IP = Ip4.parse("10.0.0.2");

    /** Decides each packet's fate: extra delay in ns, or {@link #DROP}. */
    interface Tap {
        long extraDelay(Packet packet, long index);
    }

    static final long DROP = -1;

    /** One packet on the wire. */
    record Sent(long timeNanos, Packet packet, boolean dropped) {
        TcpSegment tcp() {
            return packet.tcp();
        }

        boolean fromClient() {
            return packet.srcIp() == CLIENT_IP;
        }
    }

    /** One decision a stack reported. */
    record Event(long timeNanos, String host, String what, Packet packet) {}

    final Simulation sim = new Simulation();
    final TcpStack client;
    final TcpStack server;
    final List<Sent> wire = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    long delayNanos = Durations.millis(5);
    Tap tap = (p, i) -> 0;
    private long index;

    TestNet() {
        this(TcpConfig.linux(), TcpConfig.linux());
    }

    TestNet(TcpConfig clientConfig, TcpConfig serverConfig) {
        RandomStreams streams = new RandomStreams(2024);
        client = new TcpStack(CLIENT_IP, sim, streams.stream("tcp:client"), this::send, clientConfig);
        server = new TcpStack(SERVER_IP, sim, streams.stream("tcp:server"), this::send, serverConfig);
        client.setObserver(recorder("client"));
        server.setObserver(recorder("server"));
    }

    private SocketObserver recorder(String host) {
        return new SocketObserver() {
            @Override
            public void segmentReceived(TcpStack stack, TcpSocket socket, Packet packet, SegmentAction action) {
                events.add(new Event(sim.now(), host, "in " + action.name(), packet));
            }

            @Override
            public void segmentSent(TcpStack stack, TcpSocket socket, Packet packet, SegmentAction reason) {
                events.add(new Event(sim.now(), host, "out " + reason.name(), packet));
            }

            @Override
            public void stateChanged(TcpSocket socket, TcpState from, TcpState to) {
                events.add(new Event(sim.now(), host, "state " + from + "->" + to, null));
            }
        };
    }

    /** Where a packet addressed to {@code dstIp} is delivered; override for NAT stories. */
    TcpStack route(Packet packet) {
        return packet.dstIp() == SERVER_IP ? server : client;
    }

    void send(Packet packet) {
        long extra = tap.extraDelay(packet, index++);
        wire.add(new Sent(sim.now(), packet, extra == DROP));
        if (extra == DROP) {
            return;
        }
        sim.schedule(delayNanos + extra, () -> deliver(packet));
    }

    void deliver(Packet packet) {
        route(packet).receive(packet);
    }

    /** Injects a packet straight into {@code stack}, as if it had just arrived. */
    void inject(TcpStack stack, Packet packet) {
        stack.receive(packet);
    }

    /** Packets the client (or server) sent, optionally only those with payload. */
    List<Sent> sentBy(boolean client, boolean dataOnly) {
        List<Sent> out = new ArrayList<>();
        for (Sent s : wire) {
            if (s.fromClient() == client && (!dataOnly || s.tcp().payloadLength() > 0)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The events whose text starts with {@code prefix}, as "host what". */
    List<String> events(String prefix) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            if (e.what().startsWith(prefix)) {
                out.add(e.host() + " " + e.what());
            }
        }
        return out;
    }

    long count(String host, String what) {
        return events.stream()
                .filter(e -> e.host().equals(host) && e.what().equals(what))
                .count();
    }

    /** The whole wire as text, one line per packet, for determinism checks and failure output. */
    String transcript() {
        StringBuilder s = new StringBuilder();
        for (Sent p : wire) {
            s.append(Durations.timestamp(p.timeNanos()))
                    .append(p.dropped() ? " DROP " : " ")
                    .append(p.packet().summary())
                    .append('\n');
        }
        return s.toString();
    }

    static boolean isRst(Packet p) {
        return p.tcp().has(TcpFlags.RST);
    }

    /** A handler that records callbacks. */
    static class Recorder implements SocketHandler {
        final List<String> log = new ArrayList<>();
        long bytes;
        CloseReason closed;
        TcpSocket socket;

        @Override
        public void onEstablished(TcpSocket s) {
            socket = s;
            log.add("established");
        }

        @Override
        public void onData(TcpSocket s, int n) {
            bytes += n;
        }

        @Override
        public void onAllAcked(TcpSocket s) {
            log.add("all-acked");
        }

        @Override
        public void onPeerClosed(TcpSocket s) {
            log.add("peer-closed");
        }

        @Override
        public void onClosed(TcpSocket s, CloseReason reason) {
            closed = reason;
            log.add("closed " + reason);
        }
    }
}
