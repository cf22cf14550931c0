package io.kpsim.cluster;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.tcp.SegmentAction;
import io.kpsim.tcp.SocketObserver;
import io.kpsim.tcp.TcpConfig;
import io.kpsim.tcp.TcpSocket;
import io.kpsim.tcp.TcpStack;
import io.kpsim.tcp.TcpState;
import java.util.List;

/**
 * A pod: one address, one endpoint TCP stack, and the pod end of a veth pair whose other end is
 * on its node. Everything the stack sends goes onto the veth (so it enters the node's PREROUTING);
 * everything the node routes to the pod's address comes back over the veth into the stack, which
 * answers segments no socket owns with a RST, exactly as the client pod does in the failure.
 *
 * <p>A node's own network stack is a pod too ({@link Node#host()}, named after the node, with the
 * node's addresses): it has no veth, its packets enter the node's OUTPUT hook, and the node delivers
 * to it what INPUT accepts. hostNetwork pods are this stack.
 */
public final class Pod {

    private final String name;
    private final int ip;
    private final Node node;
    private final Cluster cluster;
    private final TcpStack stack;
    /** The node whose own stack this is, or {@code null} for a pod with its own network namespace. */
    private final Node hostOf;

    private Link veth;
    /** Sockets of this pod's workloads that reached ESTABLISHED and are not closed, oldest first. */
    private final OpenSockets<TcpSocket> open = new OpenSockets<>();
    /** The words of each action's socket events, by ordinal, once made ({@link #words}). */
    private final String[] received = new String[SegmentAction.values().length];

    private final String[] sent = new String[SegmentAction.values().length];

    long packetsSent;
    long packetsInjected;

    Pod(String name, int ip, Node node, Cluster cluster, TcpConfig config) {
        this(name, ip, node, cluster, config, false);
    }

    /**
     * A pod, or with {@code host} the node's own stack (whose packets enter the node's OUTPUT).
     */
    Pod(String name, int ip, Node node, Cluster cluster, TcpConfig config, boolean host) {
        this.hostOf = host ? node : null;
        this.name = name;
        this.ip = ip;
        this.node = node;
        this.cluster = cluster;
        this.stack =
                new TcpStack(ip, cluster.simulation(), cluster.streams().stream("tcp:" + name), this::transmit, config);
    }

    void attach(Link podToNode) {
        this.veth = podToNode;
    }

    /** The pod's name. */
    public String name() {
        return name;
    }

    /** The pod's address. */
    public int ip() {
        return ip;
    }

    /** The node it runs on. */
    public Node node() {
        return node;
    }

    /** The simulation clock, in nanoseconds. */
    long now() {
        return cluster.simulation().now();
    }

    /** Its TCP stack. */
    public TcpStack stack() {
        return stack;
    }

    /** Whether this is its node's own network stack (hostNetwork pods share it). */
    public boolean isHost() {
        return hostOf != null;
    }

    /** The pod-to-node half of its veth pair ({@code null} for a node's own stack). */
    public Link veth() {
        return veth;
    }

    /** Its workloads' open connections, oldest first. */
    public List<TcpSocket> openConnections() {
        return open.list();
    }

    void opened(TcpSocket socket, OpenSession session) {
        open.add(socket, session);
    }

    void closed(OpenSession session) {
        open.remove(session);
    }

    /** The stack's transmit callback: onto the veth. */
    private void transmit(Packet packet) {
        long id = cluster.nextPacketId();
        packetsSent++;
        if (cluster.tracer().on()) {
            cluster.tracer().packet(cluster.simulation().now(), id, TracePoint.POD_SEND, name, packet, null);
        }
        out(packet, id);
    }

    /** Writes a forged packet onto the veth, as a raw socket in the pod would. */
    void inject(Packet packet, String why) {
        long id = cluster.nextPacketId();
        packetsSent++;
        packetsInjected++;
        if (cluster.tracer().on()) {
            cluster.tracer().packet(cluster.simulation().now(), id, TracePoint.POD_INJECT, name, packet, why);
        }
        out(packet, id);
    }

    private void out(Packet packet, long id) {
        if (hostOf != null) {
            hostOf.sendFromHost(packet, id);
        } else {
            veth.send(packet, id);
        }
    }

    /** The node delivered a packet over the veth. */
    void receive(Packet packet, long packetId, int bytes) {
        if (cluster.tracer().on()) {
            cluster.tracer().received(cluster.simulation().now(), packetId, name, packet);
            cluster.currentPacketId = packetId;
        }
        stack.receive(packet);
        cluster.currentPacketId = -1;
    }

    /** Reports the stack's decisions as {@link TracePoint#SOCKET} events. */
    void traceSockets() {
        stack.setObserver(new SocketObserver() {
            @Override
            public void segmentReceived(TcpStack s, TcpSocket socket, Packet packet, SegmentAction action) {
                if (cluster.tracer().wantsReceipt(cluster.currentPacketId, action)) {
                    emit(socket, packet, words(received, "received: ", action), action.name());
                }
            }

            @Override
            public void segmentSent(TcpStack s, TcpSocket socket, Packet packet, SegmentAction reason) {
                if (reason != SegmentAction.DATA && reason != SegmentAction.ACK) {
                    emit(socket, packet, words(sent, "sent: ", reason), reason.name());
                }
            }

            @Override
            public void stateChanged(TcpSocket socket, TcpState from, TcpState to) {
                emit(socket, null, (TraceText) () -> "state " + from + " -> " + to, null);
            }
        });
    }

    /**
     * A socket event's words for {@code action} ({@code "received: RST accepted: ..."}), made once
     * per pod and action: a narrated run reports every segment a stack receives.
     */
    private static String words(String[] made, String prefix, SegmentAction action) {
        String w = made[action.ordinal()];
        if (w == null) {
            w = prefix + action.text();
            made[action.ordinal()] = w;
        }
        return w;
    }

    /** {@code text} is a String or a {@link TraceText}. */
    private void emit(TcpSocket socket, Packet packet, Object text, String action) {
        Object where = socket == null ? name : socketWords(socket.localPort(), socket.remoteIp(), socket.remotePort());
        cluster.tracer()
                .emit(new TraceEvent(
                        cluster.simulation().now(),
                        cluster.currentPacketId,
                        TracePoint.SOCKET,
                        where,
                        packet,
                        null,
                        action,
                        null,
                        null,
                        text));
    }

    /** A socket event's {@code where}, e.g. {@code client 10.244.1.2:40000<->10.96.0.10:80}, formatted when read. */
    private TraceText socketWords(int localPort, int remoteIp, int remotePort) {
        return () -> name + " " + Ip4.format(ip, localPort) + "<->" + Ip4.format(remoteIp, remotePort);
    }

    @Override
    public String toString() {
        return "Pod[" + name + " " + Ip4.format(ip) + " on " + node.name() + "]";
    }
}
