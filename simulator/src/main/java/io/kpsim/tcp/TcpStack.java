package io.kpsim.tcp;

import io.kpsim.engine.Simulation;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The TCP layer of one host (one pod's network namespace): its sockets and listeners, the
 * demultiplexing of arriving segments, and the answer to segments nobody owns.
 *
 * <p>A segment that matches neither a connection nor a listener is answered with a RST exactly as
 * RFC 9293 §3.10.7.1 says for the CLOSED state: if it carried an ACK, {@code <SEQ=SEG.ACK><CTL=RST>};
 * otherwise {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}; a RST is never answered (Linux
 * {@code tcp_v4_send_reset}). This is the client pod's reaction in the Kubernetes reset story:
 * a reply from the server's pod IP matches no socket, because the socket talks to the service IP.
 *
 * <p>The network layer hands arriving packets to {@link #receive} and takes departing ones from
 * the {@code transmit} callback. Initial sequence numbers and ephemeral ports
 * ({@code net.ipv4.ip_local_port_range} = 32768..60999) come from the stack's random stream.
 * Sockets are found by a hash on (remote address, remote port, local port); anything listed is
 * sorted, never in hash order.
 */
public final class TcpStack {

    /** ICMP destination unreachable code "fragmentation needed" (PMTU discovery, not an error here). */
    private static final int FRAG_NEEDED = 4;

    /** The first ephemeral port (Linux {@code ip_local_port_range} low end). */
    public static final int EPHEMERAL_LOW = 32768;
    /** The last ephemeral port. */
    public static final int EPHEMERAL_HIGH = 60999;

    private final int localIp;
    private final Simulation simulation;
    private final SplittableRandom random;
    private final Consumer<Packet> transmit;
    private final TcpConfig config;
    private final TcpCounters counters = new TcpCounters();
    private final long isnSecret;
    private final SocketTable sockets = new SocketTable();
    private final Map<Integer, TcpListener> listeners = new TreeMap<>();
    private SocketObserver observer = SocketObserver.NONE;
    /** Further addresses of this host besides {@link #localIp} (a node's bridge gateway address). */
    private int[] otherAddresses = new int[0];

    /**
     * A stack for address {@code localIp}.
     *
     * @param localIp this host's IPv4 address ({@link Ip4} packing)
     * @param simulation the clock and timers
     * @param random the stream for ISNs and ephemeral ports
     * @param transmit where departing packets go (the network layer)
     * @param config the tunables
     */
    public TcpStack(
            int localIp, Simulation simulation, SplittableRandom random, Consumer<Packet> transmit, TcpConfig config) {
        if (simulation == null || random == null || transmit == null || config == null) {
            throw new IllegalArgumentException("TCP stack of " + Ip4.format(localIp)
                    + " needs a simulation, a random stream, a transmit callback and a config");
        }
        this.localIp = localIp;
        this.simulation = simulation;
        this.random = random;
        this.transmit = transmit;
        this.config = config;
        this.isnSecret = random.nextLong();
    }

    /**
     * Makes {@code address} one of this host's too: segments sent to it are this stack's, and a RST
     * answering one leaves from it (Linux answers from the address a segment was sent to,
     * {@code tcp_v4_send_reset}). Connections this stack opens keep {@link #localIp} as source.
     */
    public void addAddress(int address) {
        int[] more = Arrays.copyOf(otherAddresses, otherAddresses.length + 1);
        more[otherAddresses.length] = address;
        otherAddresses = more;
    }

    private boolean isLocal(int address) {
        if (address == localIp) {
            return true;
        }
        for (int a : otherAddresses) {
            if (a == address) {
                return true;
            }
        }
        return false;
    }

    /** This host's address. */
    public int localIp() {
        return localIp;
    }

    /** The simulation the stack's timers run on. */
    public Simulation simulation() {
        return simulation;
    }

    /** The tunables. */
    public TcpConfig config() {
        return config;
    }

    /** Host-wide counters (all sockets, plus segments no socket owned). */
    public TcpCounters counters() {
        return counters;
    }

    /** Sets the observer told about every segment and state change. */
    public void setObserver(SocketObserver newObserver) {
        if (newObserver == null) {
            throw new IllegalArgumentException("observer of the TCP stack of " + Ip4.format(localIp) + " is null");
        }
        observer = newObserver;
    }

    SocketObserver observer() {
        return observer;
    }

    /**
     * Listens on {@code port}.
     *
     * @throws IllegalArgumentException if the port is out of range or already listening
     */
    public TcpListener listen(int port, AcceptHandler acceptHandler) {
        checkPort(port);
        if (acceptHandler == null) {
            throw new IllegalArgumentException("accept handler for port " + port + " is null");
        }
        if (listeners.containsKey(port)) {
            throw new IllegalArgumentException("port " + port + " on " + Ip4.format(localIp) + " is already listening");
        }
        TcpListener listener = new TcpListener(this, port, acceptHandler);
        listeners.put(port, listener);
        return listener;
    }

    /** Whether {@code port} has a listener. */
    public boolean listening(int port) {
        return listeners.containsKey(port);
    }

    void unlisten(TcpListener listener) {
        listeners.remove(listener.port(), listener);
    }

    /** Opens a connection from an ephemeral port (active open, RFC 9293 §3.10.1). */
    public TcpSocket connect(int remoteIp, int remotePort, SocketHandler handler) {
        checkPort(remotePort);
        int span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
        int start = random.nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = EPHEMERAL_LOW + (start + i) % span;
            if (!sockets.containsKey(key(remoteIp, remotePort, port)) && !listeners.containsKey(port)) {
                return connect(port, remoteIp, remotePort, handler);
            }
        }
        throw new IllegalArgumentException(
                "no free ephemeral port on " + Ip4.format(localIp) + " towards " + Ip4.format(remoteIp, remotePort));
    }

    /**
     * Opens a connection from a chosen local port (bind + connect).
     *
     * @throws IllegalArgumentException if the four-tuple is in use or a value is out of range
     */
    public TcpSocket connect(int localPort, int remoteIp, int remotePort, SocketHandler handler) {
        checkPort(localPort);
        checkPort(remotePort);
        if (handler == null) {
            throw new IllegalArgumentException(
                    "socket handler is null for a connection to " + Ip4.format(remoteIp, remotePort));
        }
        long key = key(remoteIp, remotePort, localPort);
        if (sockets.containsKey(key)) {
            throw new IllegalArgumentException("connection " + Ip4.format(localIp, localPort) + " -> "
                    + Ip4.format(remoteIp, remotePort) + " already exists");
        }
        TcpSocket socket = new TcpSocket(
                this, localPort, remoteIp, remotePort, isn(localPort, remoteIp, remotePort), handler, null);
        sockets.put(socket);
        socket.setState(TcpState.SYN_SENT);
        socket.sender().sendSyn(false, SegmentAction.SYN, false);
        return socket;
    }

    /** The live sockets (TIME_WAIT included), ordered by local port, remote address and port. */
    public List<TcpSocket> sockets() {
        List<TcpSocket> list = new ArrayList<>(sockets.values());
        list.sort(Comparator.comparingInt(TcpSocket::localPort)
                .thenComparingLong(s -> Integer.toUnsignedLong(s.remoteIp()))
                .thenComparingInt(TcpSocket::remotePort));
        return list;
    }

    /** Hands an arriving packet to TCP (the network layer's local delivery, Linux {@code tcp_v4_rcv}). */
    public void receive(Packet packet) {
        IcmpMessage icmp = packet.icmp();
        if (icmp != null
                && icmp.isError()
                && icmp.quoted() != null
                && icmp.quoted().tcp() != null) {
            icmpError(packet, icmp);
            return;
        }
        TcpSegment seg = packet.tcp();
        if (seg == null) {
            throw new IllegalArgumentException(
                    "TCP stack of " + Ip4.format(localIp) + " got a non-TCP packet: " + packet.summary());
        }
        if (packet.dstIp() != localIp && !isLocal(packet.dstIp())) {
            observer.segmentReceived(this, null, packet, SegmentAction.WRONG_ADDRESS);
            return;
        }
        TcpSocket socket = sockets.get(key(packet.srcIp(), seg.srcPort(), seg.dstPort()));
        if (socket != null) {
            socket.count(TcpCounter.SEGMENTS_RECEIVED, 1);
            if (seg.has(TcpFlags.RST)) {
                socket.count(TcpCounter.RESETS_RECEIVED, 1);
            }
            if (!TcpInput.segmentArrives(socket, packet, seg)) {
                return;
            }
        } else {
            counters.add(TcpCounter.SEGMENTS_RECEIVED, 1);
            if (seg.has(TcpFlags.RST)) {
                counters.add(TcpCounter.RESETS_RECEIVED, 1);
            }
        }
        TcpListener listener = listeners.get(seg.dstPort());
        if (listener != null) {
            listen(listener, packet, seg);
        } else if (seg.has(TcpFlags.RST)) {
            observer.segmentReceived(this, null, packet, SegmentAction.NO_SOCKET_RST_DROPPED);
        } else {
            observer.segmentReceived(this, null, packet, SegmentAction.NO_SOCKET_RST_SENT);
            sendReset(null, packet, seg, SegmentAction.RST_NO_SOCKET);
        }
    }

    /**
     * An ICMP error about a segment this stack sent, as {@code tcp_v4_err()} handles it: a
     * destination unreachable (other than "fragmentation needed") whose quoted sequence number is
     * within {@code [snd_una, snd_nxt]} ends a connection still in SYN_SENT with the code's errno
     * (ECONNREFUSED for port unreachable, RFC 1122 §4.2.3.9 lets it abort); on a synchronized
     * connection it is only a soft error ({@code sk_err_soft}), which changes nothing here.
     */
    private void icmpError(Packet packet, IcmpMessage icmp) {
        Packet quoted = icmp.quoted();
        TcpSegment sent = quoted.tcp();
        if (packet.dstIp() != localIp || quoted.srcIp() != localIp || icmp.type() != IcmpMessage.DEST_UNREACH) {
            return;
        }
        TcpSocket socket = sockets.get(key(quoted.dstIp(), sent.dstPort(), sent.srcPort()));
        if (socket == null || socket.state() != TcpState.SYN_SENT || icmp.code() == FRAG_NEEDED) {
            return;
        }
        if (sent.seq() != socket.sndUna()) {
            return; // LINUX_MIB_OUTOFWINDOWICMPS: not about the SYN in flight
        }
        socket.unreachable();
    }

    /** LISTEN (RFC 9293 §3.10.7.2). */
    private void listen(TcpListener listener, Packet packet, TcpSegment seg) {
        if (seg.has(TcpFlags.RST)) {
            observer.segmentReceived(this, null, packet, SegmentAction.NO_SOCKET_RST_DROPPED);
        } else if (seg.has(TcpFlags.ACK)) {
            observer.segmentReceived(this, null, packet, SegmentAction.BAD_ACK_RST_SENT);
            sendReset(null, packet, seg, SegmentAction.RST_BAD_ACK);
        } else if (seg.has(TcpFlags.SYN)) {
            TcpSocket child = new TcpSocket(
                    this,
                    listener.port(),
                    packet.srcIp(),
                    seg.srcPort(),
                    isn(listener.port(), packet.srcIp(), seg.srcPort()),
                    null,
                    listener);
            sockets.put(child);
            child.countOnSocket(TcpCounter.SEGMENTS_RECEIVED, 1); // the stack counted it above
            observer.segmentReceived(this, child, packet, SegmentAction.PASSIVE_OPEN);
            child.setState(TcpState.SYN_RECEIVED);
            child.receiver().synReceived(seg.seq());
            child.negotiate(seg.options());
            child.sender().initialWindow(seg.seq(), 0, seg.window());
            child.sender().sendSyn(true, SegmentAction.SYN_ACK, false);
        } else {
            observer.segmentReceived(this, null, packet, SegmentAction.DROPPED_NO_ACK);
        }
    }

    /** Sends the RST RFC 9293 §3.10.7.1 prescribes in answer to {@code seg}. */
    void sendReset(TcpSocket owner, Packet packet, TcpSegment seg, SegmentAction reason) {
        TcpSegment rst;
        if (seg.has(TcpFlags.ACK)) {
            rst = new TcpSegment(seg.dstPort(), seg.srcPort(), seg.ack(), 0, TcpFlags.RST, 0, 0, TcpOptions.NONE, 0);
        } else {
            rst = new TcpSegment(
                    seg.dstPort(), seg.srcPort(), 0, seg.end(), TcpFlags.RST | TcpFlags.ACK, 0, 0, TcpOptions.NONE, 0);
        }
        Packet out = Packet.tcp(packet.dstIp(), packet.srcIp(), rst);
        if (owner != null) {
            owner.count(TcpCounter.SEGMENTS_SENT, 1);
            owner.count(TcpCounter.RESETS_SENT, 1);
        } else {
            counters.add(TcpCounter.SEGMENTS_SENT, 1);
            counters.add(TcpCounter.RESETS_SENT, 1);
        }
        observer.segmentSent(this, owner, out, reason);
        transmit.accept(out);
    }

    /** Sends a segment a socket built. */
    void transmit(TcpSocket socket, Packet packet, SegmentAction reason) {
        socket.count(TcpCounter.SEGMENTS_SENT, 1);
        if (packet.tcp().has(TcpFlags.RST)) {
            socket.count(TcpCounter.RESETS_SENT, 1);
        }
        observer.segmentSent(this, socket, packet, reason);
        transmit.accept(packet);
    }

    void remove(TcpSocket socket) {
        sockets.remove(socket);
    }

    /**
     * An initial sequence number as RFC 6528 and Linux's {@code secure_tcp_seq} make it: a keyed
     * hash of the four-tuple plus a clock ticking every 64 ns, so successive connections on one
     * four-tuple get increasing ISNs (which lets a new SYN replace a TIME_WAIT connection).
     */
    private int isn(int localPort, int remoteIp, int remotePort) {
        long z = isnSecret ^ key(remoteIp, remotePort, localPort) ^ ((long) localIp << 16);
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return (int) (z ^ (z >>> 33)) + (int) (simulation.now() >>> 6);
    }

    static long key(int remoteIp, int remotePort, int localPort) {
        return (Integer.toUnsignedLong(remoteIp) << 32) | ((long) remotePort << 16) | localPort;
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TCP port " + port + " is not in 1..65535");
        }
    }
}
