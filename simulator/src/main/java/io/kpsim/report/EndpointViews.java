package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.Seq;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;
import io.kpsim.replay.KeyTable;

/**
 * What each TCP endpoint last told its peer, taken from the segments its pod sent: the
 * acknowledgement (its RCV.NXT), the window it advertised (scaled by RFC 7323's shift once both
 * SYNs carried the option) and how far it has sent (its SND.NXT). These are the numbers
 * conntrack's {@code tcp_in_window()} derives its bounds from ({@code td_end}, {@code td_maxend},
 * {@code td_maxwin}), so they explain in endpoint terms why a segment was out of window.
 */
final class EndpointViews {

    /** One endpoint's view of its connection. */
    static final class View {
        long ack;
        long windowBytes;
        int windowField;
        int scale;
        boolean scaleOffered;
        boolean peerScaled;
        long sndNxt;
        boolean ackSeen;
        boolean sent;
        int peerIp;
        int peerPort;
        /** The connection as this endpoint names it: its own address and port, and its peer's ({@link #key}). */
        long local;

        long remote;
        /** The next view whose pair shares this one's {@link #slot} (rare: a chain of one, nearly always). */
        View next;
        /** This endpoint's initial sequence number (its SYN's), or -1 before it sent one. */
        long isn = -1;
        /** The peer's initial sequence number, from the SYN-ACK this (client) endpoint received, or -1. */
        long peerIsn = -1;
        /** Whether this endpoint opened the connection (sent a SYN without ACK). */
        boolean client;
        /** Where the latest connection of this view's own address and port is kept ({@link #latest}). */
        Local home;
    }

    /**
     * The latest connection of one local address and port: the view that last sent from it. Each
     * view holds its address's, so a segment sent sets a field instead of a table entry (a server's
     * one address and port sends for all its connections in turn).
     */
    static final class Local {
        View latest;
    }

    /**
     * Each connection's view, by the sending endpoint's pair of addresses: the pair's two 48-bit
     * keys are folded into one slot number and the views of a slot chained, so a lookup allocates
     * nothing (this runs for every segment a pod sends).
     */
    private final KeyTable<View> views = new KeyTable<>(1024);
    /** The latest connection of each local address and port (a client's ephemeral port is its own). */
    private final KeyTable<Local> latest = new KeyTable<>(1024);

    /** Takes what an endpoint told its peer from every segment a pod sends or receives. */
    void event(TraceEvent e) {
        TracePoint point = e.point();
        if (point != TracePoint.POD_SEND && point != TracePoint.POD_RECEIVE) {
            return; // most events are hops: their packet is not read
        }
        Packet p = e.packet();
        if (p == null || p.protocol() != Protocol.TCP) {
            return;
        }
        if (point == TracePoint.POD_SEND) {
            sent(p);
        } else if (e.point() == TracePoint.POD_RECEIVE) {
            TcpSegment s = p.tcp();
            if (s.has(TcpFlags.SYN)) {
                View v = find(key(p.dstIp(), p.dstPort()), key(p.srcIp(), p.srcPort()));
                if (v != null) {
                    v.peerScaled = s.options().hasWindowScale();
                    if (v.client && s.has(TcpFlags.ACK) && v.peerIsn < 0) {
                        v.peerIsn = Integer.toUnsignedLong(s.seq());
                    }
                }
            }
        }
    }

    private void sent(Packet p) {
        TcpSegment s = p.tcp();
        if (s.has(TcpFlags.RST)) {
            return; // a RST answering a stranger says nothing about the connection's windows
        }
        long local = key(p.srcIp(), p.srcPort());
        long remote = key(p.dstIp(), p.dstPort());
        View v = find(local, remote);
        if (v == null || (s.has(TcpFlags.SYN) && !s.has(TcpFlags.ACK))) {
            v = replace(local, remote, v);
        }
        v.home.latest = v;
        if (s.has(TcpFlags.SYN)) {
            v.isn = Integer.toUnsignedLong(s.seq());
            v.client = !s.has(TcpFlags.ACK);
            v.scaleOffered = s.options().hasWindowScale();
            v.scale = v.scaleOffered ? s.options().windowScale() : 0;
            if (s.has(TcpFlags.ACK)) {
                v.peerScaled = v.scaleOffered; // a SYN-ACK carries the option only if the SYN did
            }
        }
        v.peerIp = p.dstIp();
        v.peerPort = p.dstPort();
        int end = s.end();
        if (!v.sent || Seq.after(end, (int) v.sndNxt)) {
            v.sndNxt = Integer.toUnsignedLong(end);
            v.sent = true;
        }
        if (s.has(TcpFlags.ACK)) {
            v.ackSeen = true;
            v.ack = Integer.toUnsignedLong(s.ack());
            v.windowField = s.window();
            boolean scaled = !s.has(TcpFlags.SYN) && v.scaleOffered && v.peerScaled;
            v.windowBytes = scaled ? (long) s.window() << v.scale : s.window();
        }
    }

    /**
     * The view of the latest connection of {@code ip:port} (for a client, whose peer address NAT
     * hides from the other side), or {@code null} if it never sent an ACK.
     */
    View of(int ip, int port) {
        View v = latestOf(key(ip, port));
        return v != null && v.ackSeen ? v : null;
    }

    /** The view of {@code ip:port}'s connection with {@code peerIp:peerPort}, or {@code null}. */
    View of(int ip, int port, int peerIp, int peerPort) {
        View v = find(key(ip, port), key(peerIp, peerPort));
        return v != null && v.ackSeen ? v : null;
    }

    /** The view of the pair, or {@code null}. */
    private View find(long local, long remote) {
        for (View v = views.get(slot(local, remote)); v != null; v = v.next) {
            if (v.local == local && v.remote == remote) {
                return v;
            }
        }
        return null;
    }

    /**
     * The initial sequence numbers behind {@code p}'s numbers, on any hop of its path (before or
     * after NAT): the latest connection of the client address {@code p} comes from or goes to
     * names both. {@code null} when neither address is a client whose handshake was seen.
     */
    SeqBases bases(Packet p) {
        if (p == null || p.protocol() != Protocol.TCP) {
            return null;
        }
        View c = latestOf(key(p.srcIp(), p.srcPort()));
        if (c != null && c.client) {
            return new SeqBases(c.isn, c.peerIsn);
        }
        c = latestOf(key(p.dstIp(), p.dstPort()));
        if (c != null && c.client) {
            return new SeqBases(c.peerIsn, c.isn);
        }
        return null;
    }

    /** The view that last sent from the address and port {@code local}, or {@code null}. */
    private View latestOf(long local) {
        Local l = latest.get(local);
        return l == null ? null : l.latest;
    }

    /** A new view for the pair, in place of {@code old} (the pair's previous view, or {@code null}). */
    private View replace(long local, long remote, View old) {
        View v = new View();
        v.local = local;
        v.remote = remote;
        v.home = old != null ? old.home : latest.get(local);
        if (v.home == null) {
            v.home = new Local();
            latest.put(local, v.home);
        }
        long slot = slot(local, remote);
        View head = views.get(slot);
        if (old == null) {
            v.next = head;
        } else {
            v.next = old.next;
            if (head != old) {
                View before = head;
                while (before.next != old) {
                    before = before.next;
                }
                before.next = v;
                return v;
            }
        }
        views.put(slot, v);
        return v;
    }

    /** Folds a pair of 48-bit keys into one slot number (pairs that share one are chained). */
    private static long slot(long local, long remote) {
        return local * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(remote, 29);
    }

    private static long key(int ip, int port) {
        return (Integer.toUnsignedLong(ip) << 16) | port;
    }
}
