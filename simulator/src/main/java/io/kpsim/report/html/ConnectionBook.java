package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every TCP connection of a run, from its packets: who opened it to which address, which endpoint
 * pod the SYN reached after DNAT, both initial sequence numbers and window scales (for relative
 * numbers and scaled windows, as Wireshark shows them), and how it ended. One small record per
 * connection, keyed by the client's address and port (a client's ephemeral port is its own while
 * the connection lives; a new SYN from the same port starts a new record).
 */
final class ConnectionBook {

    /** One connection's facts; mutable while the run goes on. */
    static final class Conn {
        final Address client;
        final String clientPod;
        final Address service;
        final long openedNanos;
        final long clientIsn;
        final int clientScale;
        Address endpoint;
        String endpointPod;
        /** The client's address as the endpoint sees it when a node masqueraded it (a NodePort), or null. */
        Address masqueraded;

        long serverIsn = -1;
        int serverScale = -1;
        boolean serverSynSeen;
        boolean established;
        boolean clientFin;
        boolean serverFin;
        boolean reset;
        String resetBy;
        long endedNanos = -1;

        Conn(Address client, String clientPod, Address service, long openedNanos, long clientIsn, int clientScale) {
            this.client = client;
            this.clientPod = clientPod;
            this.service = service;
            this.openedNanos = openedNanos;
            this.clientIsn = clientIsn;
            this.clientScale = clientScale;
        }

        /** Whether {@code a} is the far end of this connection (the service or the endpoint). */
        boolean isPeer(Address a) {
            return a.equals(service) || a.equals(endpoint);
        }

        /** Whether {@code p} belongs to this connection, on any hop (before or after NAT). */
        boolean carries(Packet p) {
            Address src = Address.source(p);
            Address dst = Address.destination(p);
            return isClient(src) && isPeer(dst) || isClient(dst) && isPeer(src);
        }

        /** Whether {@code a} is the client: its own address, or the one a node masqueraded it to. */
        private boolean isClient(Address a) {
            return a.equals(client) || a.equals(masqueraded);
        }

        /** Whether {@code p} goes from the client towards the server. */
        boolean fromClient(Packet p) {
            return isClient(Address.source(p));
        }

        /** Whether both SYNs carried the window scale option, so windows are scaled (RFC 7323 §2.2). */
        boolean scaled() {
            return clientScale >= 0 && serverScale >= 0;
        }

        /** How the connection ended, as far as the trace showed. */
        Outcome outcome() {
            if (reset) {
                return Outcome.RESET;
            }
            if (!established) {
                return Outcome.NOT_ESTABLISHED;
            }
            return clientFin && serverFin ? Outcome.CLOSED : Outcome.OPEN;
        }

        ConnectionOutcome toOutcome() {
            return new ConnectionOutcome(
                    client,
                    clientPod,
                    service,
                    endpoint,
                    endpointPod,
                    openedNanos,
                    outcome() == Outcome.OPEN || outcome() == Outcome.NOT_ESTABLISHED ? -1 : endedNanos,
                    outcome(),
                    resetBy);
        }
    }

    private final Map<Long, Conn> byClient = new HashMap<>();
    /**
     * Each SYN in flight by packet id, which a packet keeps across nodes and NAT: the endpoint's SYN
     * finds its connection even when a node masqueraded the client (a NodePort).
     */
    private final Map<Long, Conn> synsInFlight = new HashMap<>();

    private final List<Conn> all = new ArrayList<>();

    /** Updates the book with one trace event. */
    void event(TraceEvent e) {
        switch (e.point()) { // the point first: most events are hops, and their packet is not read
            case POD_SEND:
                if (tcp(e.packet())) {
                    sent(e, e.packet(), e.packet().tcp());
                }
                break;
            case POD_RECEIVE:
                if (tcp(e.packet())) {
                    received(e, e.packet(), e.packet().tcp());
                }
                break;
            case SOCKET:
                if (e.reason() != null && e.reason().startsWith("RST_ACCEPTED") && tcp(e.packet())) {
                    Conn c = find(e.packet());
                    // A RST that finds a socket after both FINs (in TIME_WAIT) ends nothing that had not
                    // already closed in order; the cluster's ledger does not count it either.
                    if (c != null && !c.reset && !(c.clientFin && c.serverFin)) {
                        c.reset = true;
                        c.resetBy = podOf(e.where());
                        c.endedNanos = e.timeNanos();
                    }
                }
                break;
            case POD_INJECT:
            case LINK_SEND:
            case LINK_QUEUE_DROP:
            case LINK_LOSS:
            case LINK_DUPLICATE:
            case LINK_HOLD_BACK:
            case LINK_DELIVER:
            case NODE_HOOK:
            case NODE_ROUTE:
            case NODE_DROP:
                break;
            default:
                throw new IllegalStateException("unhandled trace point " + e.point());
        }
    }

    private static boolean tcp(Packet p) {
        return p != null && p.protocol() == Protocol.TCP;
    }

    private void sent(TraceEvent e, Packet p, TcpSegment s) {
        boolean syn = s.has(TcpFlags.SYN);
        if (syn && !s.has(TcpFlags.ACK)) {
            Conn c = new Conn(
                    Address.source(p),
                    e.where(),
                    Address.destination(p),
                    e.timeNanos(),
                    Integer.toUnsignedLong(s.seq()),
                    s.options().hasWindowScale() ? s.options().windowScale() : -1);
            Conn old = byClient.put(c.client.key(), c);
            if (old != null && old.clientIsn == c.clientIsn && old.service.equals(c.service)) {
                byClient.put(c.client.key(), old); // a retransmitted SYN, not a new connection
                synsInFlight.put(e.packetId(), old);
                return;
            }
            all.add(c);
            synsInFlight.put(e.packetId(), c);
            return;
        }
        if (!syn && !s.has(TcpFlags.FIN)) {
            return; // data and pure ACKs, nearly every segment: they change no connection's record
        }
        Conn c = find(p);
        if (c == null) {
            return;
        }
        if (syn && !c.fromClient(p) && !c.serverSynSeen) {
            c.serverSynSeen = true;
            c.serverIsn = Integer.toUnsignedLong(s.seq());
            c.serverScale = s.options().hasWindowScale() ? s.options().windowScale() : -1;
        }
        if (s.has(TcpFlags.FIN) && !s.has(TcpFlags.RST)) {
            if (c.fromClient(p)) {
                c.clientFin = true;
            } else {
                c.serverFin = true;
            }
            if (c.clientFin && c.serverFin && !c.reset) {
                c.endedNanos = e.timeNanos();
            }
        }
    }

    private void received(TraceEvent e, Packet p, TcpSegment s) {
        if (!s.has(TcpFlags.SYN)) {
            return;
        }
        if (!s.has(TcpFlags.ACK)) {
            Conn c = synsInFlight.remove(e.packetId());
            if (c == null) {
                c = byClient.get(Address.source(p).key());
            }
            if (c != null && c.endpoint == null) {
                c.endpoint = Address.destination(p);
                c.endpointPod = e.where();
                Address seen = Address.source(p);
                if (!seen.equals(c.client)) {
                    c.masqueraded = seen;
                    byClient.put(seen.key(), c);
                }
            }
        } else {
            Conn c = find(p);
            if (c != null && !c.fromClient(p)) {
                c.established = true;
            }
        }
    }

    /** The connection {@code p} belongs to, or {@code null}. */
    Conn find(Packet p) {
        Conn c = byClient.get(Address.source(p).key());
        if (c != null && c.carries(p)) {
            return c;
        }
        c = byClient.get(Address.destination(p).key());
        return c != null && c.carries(p) ? c : null;
    }

    /** Every connection, in the order the SYNs were sent. */
    List<Conn> all() {
        return all;
    }

    /** The pod name of a socket event's {@code where} ({@code "client 10.244.1.2:3456<->..."}). */
    static String podOf(String where) {
        int space = where.indexOf(' ');
        return space < 0 ? where : where.substring(0, space);
    }
}
