package io.kpsim.replay;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;
import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.LinkLayer;
import java.util.ArrayDeque;

/**
 * Pairs each packet the node sent with the packet it received, and holds received packets back
 * until their copy has been seen (or cannot come any more), so replay knows what the kernel did
 * before it runs the model: which endpoint a new connection got, whether NAT was applied, whether
 * the packet was forwarded at all.
 *
 * <p>A copy is the same IPv4 datagram after forwarding: NAT rewrites addresses, ports and
 * checksums, forwarding lowers the TTL, but the IP ID, the TCP sequence and acknowledgment
 * numbers and flags, and the UDP and ICMP lengths are those of the packet received. A GSO
 * super-packet the node segmented on the way out ({@code validate_xmit_skb()} before the capture
 * tap) shows up as several copies, each continuing the last one's sequence numbers and IP ID.
 *
 * <p>Records leave in file order. A received packet waits at the head until its copy is seen, or
 * until the capture's clock is {@link #HOLD_NANOS} past it, or {@link #MAX_WAITING} records are
 * waiting (so memory stays bounded). A packet released without a copy was dropped, as far as the
 * capture can tell, when other packets of the same flow were seen leaving the node: a capture that
 * shows a flow's way out would show this packet too. Otherwise (the way out is not in the capture,
 * or the node delivered it locally) nothing is claimed.
 *
 * <p>A received packet seen again, identical down to its TTL, within {@link #TWIN_NANOS} on
 * another interface, is one skb captured twice (a bridge port and the bridge both see a frame the
 * bridge routes): it is replayed once.
 */
final class CopyMatcher {

    /** How long, in capture time, a received packet waits for its copy. */
    static final long HOLD_NANOS = 200_000_000L;
    /** How many records may wait at most. */
    static final int MAX_WAITING = 16_384;
    /** How close in time a second capture of the same skb is. */
    static final long TWIN_NANOS = 1_000_000L;

    private final ArrayDeque<Arrival> waiting = new ArrayDeque<>();
    /** Received packets without a copy yet, by {@link #copyKey}. */
    private final KeyTable<Arrival> uncopied = new KeyTable<>(MAX_WAITING);
    /** Received super-packets whose segmented copies continue, by the next segment's key. */
    private final KeyTable<Arrival> continuing = new KeyTable<>(64);
    /** Received packets by {@link #twinKey}, to see a second capture of the same skb. */
    private final KeyTable<Arrival> received = new KeyTable<>(MAX_WAITING);
    /**
     * Flows (by {@link #flowKey}) whose packets were seen leaving the node: 16 to 32 bytes per
     * flow, and only in a capture that shows the node's way out.
     */
    private final KeyTable<Boolean> flowsSeenLeaving = new KeyTable<>(1024);

    private long latest = Long.MIN_VALUE;
    /** Whether no record of the file can be the node's copy of another ({@link #copiesImpossible()}). */
    private boolean direct;

    /**
     * Says that no record still to come can be the node's copy of another, nor a second capture of
     * the same skb: the file is one interface whose frames are all replayed as received (raw IP, or
     * Ethernet whose node MAC is unknown). Records then leave as soon as they come, unindexed; the
     * ones indexed before leave as before.
     */
    void copiesImpossible() {
        direct = true;
    }

    /** Adds the next record in file order (already classified). */
    void add(Arrival a) {
        latest = Math.max(latest, a.timestampNanos());
        waiting.add(a);
        if (direct) {
            return;
        }
        switch (a.heading) {
            case RECEIVED -> received(a);
            case SENT -> sent(a);
            case ASIDE -> {
                // nothing to pair
            }
        }
    }

    /**
     * The next record to replay, in file order, or {@code null} when the head must wait for its copy.
     *
     * @param end whether the file has ended (nothing waits any more)
     */
    Arrival next(boolean end) {
        Arrival head = waiting.peek();
        if (head == null) {
            return null;
        }
        if (head.heading == Heading.RECEIVED
                && head.observed == null
                && !direct
                && !end
                && waiting.size() <= MAX_WAITING
                && latest - head.timestampNanos() <= HOLD_NANOS) {
            return null;
        }
        waiting.poll();
        if (head.heading == Heading.RECEIVED && head.indexed) {
            forget(head);
            if (head.observed == null
                    && flowsSeenLeaving.size() > 0
                    && flowsSeenLeaving.contains(flowKey(head.packet()))) {
                head.observed = Observed.dropped();
            }
        }
        return head;
    }

    private void received(Arrival a) {
        Packet p = a.packet();
        long twin = twinKey(p);
        Arrival earlier = received.get(twin);
        if (earlier != null
                && earlier.packet().equals(p)
                && a.timestampNanos() - earlier.timestampNanos() <= TWIN_NANOS
                && interfaceTag(earlier.record) != interfaceTag(a.record)) {
            a.setAside(
                    Heading.ASIDE,
                    "the same packet as #" + earlier.index() + ", captured again on another interface (a bridge"
                            + " and its port): replayed once");
            return;
        }
        received.put(twin, a);
        a.indexed = true;
        a.twinKey = twin;
        long key = copyKey(p.protocol(), p.ipId(), a1(p), a2(p));
        a.copyKey = key;
        a.sameKey = uncopied.put(key, a);
        TcpSegment t = p.tcp();
        a.uncopied = t == null ? 0 : t.payloadLength();
    }

    private void sent(Arrival copy) {
        Packet c = copy.packet();
        long key = copyKey(c.protocol(), c.ipId(), a1(c), a2(c));
        Arrival original = null;
        Arrival prev = null;
        for (Arrival o = uncopied.get(key); o != null; prev = o, o = o.sameKey) {
            if (isCopy(o.packet(), c)) {
                original = o;
                break;
            }
        }
        if (original != null) {
            if (prev == null) {
                if (original.sameKey == null) {
                    uncopied.remove(key);
                } else {
                    uncopied.put(key, original.sameKey);
                }
            } else {
                prev.sameKey = original.sameKey;
            }
            original.sameKey = null;
            original.copy = c;
            original.observed =
                    new Observed(ReplayRecord.Verdict.ACCEPT, endpoint(c, true), endpoint(c, false), copy.index());
            copy.aside =
                    "sent by the node: its copy of #" + original.index() + " (" + natWords(original.packet(), c) + ")";
            flowsSeenLeaving.put(flowKey(original.packet()), Boolean.TRUE);
            continueSegments(original, c);
            return;
        }
        Arrival segmented = continuing.remove(key);
        if (segmented != null && c.tcp() != null) {
            copy.aside = "sent by the node: a segment of its copy of #" + segmented.index();
            continueSegments(segmented, c);
            return;
        }
        copy.aside = "sent by the node, not a copy of a packet the capture shows it receiving";
    }

    /** A segmented copy: the next segment continues the IP ID and the sequence numbers. */
    private void continueSegments(Arrival original, Packet copy) {
        TcpSegment t = copy.tcp();
        if (t == null || t.payloadLength() == 0) {
            return;
        }
        original.uncopied -= t.payloadLength();
        if (original.uncopied > 0) {
            long next = copyKey(Protocol.TCP, (copy.ipId() + 1) & 0xffff, t.seq() + t.payloadLength(), t.ack());
            continuing.put(next, original);
            original.continuingKey = next;
        }
    }

    private void forget(Arrival a) {
        received.remove(a.twinKey, a);
        if (a.observed == null) {
            long key = a.copyKey;
            Arrival prev = null;
            for (Arrival o = uncopied.get(key); o != null; prev = o, o = o.sameKey) {
                if (o == a) {
                    if (prev == null) {
                        if (o.sameKey == null) {
                            uncopied.remove(key);
                        } else {
                            uncopied.put(key, o.sameKey);
                        }
                    } else {
                        prev.sameKey = o.sameKey;
                    }
                    break;
                }
            }
        }
        if (a.uncopied > 0) {
            continuing.remove(a.continuingKey, a);
        }
    }

    /** Whether {@code c} can be the node's forwarded copy of {@code o}. */
    private static boolean isCopy(Packet o, Packet c) {
        if (o.protocol() != c.protocol() || o.ipId() != c.ipId() || c.ttl() > o.ttl()) {
            return false;
        }
        TcpSegment ot = o.tcp();
        if (ot != null) {
            TcpSegment ct = c.tcp();
            int loose = TcpFlags.PSH | TcpFlags.FIN; // a segmented copy's first segments lack them
            return ct.seq() == ot.seq()
                    && ct.ack() == ot.ack()
                    && (ct.flags() & ~loose) == (ot.flags() & ~loose)
                    && ct.payloadLength() <= ot.payloadLength();
        }
        return o.transport().payloadLength() == c.transport().payloadLength();
    }

    /** The first copy-invariant field: TCP sequence, UDP payload length, ICMP type and code. */
    private static long a1(Packet p) {
        return switch (p.protocol()) {
            case TCP -> p.tcp().seq() & 0xffffffffL;
            case ICMP -> (p.icmp().type() << 8) | p.icmp().code();
            case UDP, OTHER -> p.transport().payloadLength();
        };
    }

    /** The second: TCP acknowledgment, ICMP echo identifier and sequence. */
    private static long a2(Packet p) {
        return switch (p.protocol()) {
            case TCP -> p.tcp().ack() & 0xffffffffL;
            case ICMP -> {
                IcmpMessage m = p.icmp();
                yield m.isError() ? m.payloadLength() : ((long) m.identifier() << 16) | m.sequence();
            }
            case UDP, OTHER -> 0;
        };
    }

    private static long copyKey(Protocol protocol, int ipId, long a1, long a2) {
        long h = protocol.ordinal();
        h = h * 0x9E3779B97F4A7C15L + ipId;
        h = h * 0x9E3779B97F4A7C15L + (a1 & 0xffffffffL);
        h = h * 0x9E3779B97F4A7C15L + (a2 & 0xffffffffffffL);
        return h ^ (h >>> 29);
    }

    private static long copyKey(Protocol protocol, int ipId, int seq, int ack) {
        return copyKey(protocol, ipId, seq & 0xffffffffL, ack & 0xffffffffL);
    }

    private static long twinKey(Packet p) {
        long h = copyKey(p.protocol(), p.ipId(), a1(p), a2(p));
        h = h * 31 + p.srcIp();
        h = h * 31 + p.dstIp();
        return h * 31 + p.ttl();
    }

    /** The received flow a packet belongs to: protocol, addresses and ports as received. */
    private static long flowKey(Packet p) {
        long h = p.protocol().ordinal();
        h = h * 0x9E3779B97F4A7C15L + (p.srcIp() & 0xffffffffL);
        h = h * 0x9E3779B97F4A7C15L + (p.dstIp() & 0xffffffffL);
        h = h * 0x9E3779B97F4A7C15L + (((long) p.srcPort() << 16) | p.dstPort());
        return h ^ (h >>> 31);
    }

    /** Which interface captured a record, as far as the capture tells. */
    private static long interfaceTag(CaptureRecord r) {
        int sll2 = LinkLayer.interfaceIndex(r.linkType(), r.frame());
        if (sll2 != 0) {
            return sll2;
        }
        int packetType = LinkLayer.packetType(r.linkType(), r.frame());
        return ((long) r.iface().id() << 8) | (packetType & 0xff);
    }

    static String endpoint(Packet p, boolean source) {
        int ip = source ? p.srcIp() : p.dstIp();
        return switch (p.protocol()) {
            case TCP, UDP -> Ip4.format(ip, source ? p.srcPort() : p.dstPort());
            case ICMP, OTHER -> Ip4.format(ip);
        };
    }

    /** What the node changed, e.g. {@code DNAT to 10.244.2.3:8080}, {@code unchanged}. */
    private static String natWords(Packet in, Packet out) {
        boolean src = in.srcIp() != out.srcIp() || in.srcPort() != out.srcPort();
        boolean dst = in.dstIp() != out.dstIp() || in.dstPort() != out.dstPort();
        if (src && dst) {
            return "source and destination rewritten to " + endpoint(out, true) + " > " + endpoint(out, false);
        }
        if (dst) {
            return "destination rewritten to " + endpoint(out, false);
        }
        if (src) {
            return "source rewritten to " + endpoint(out, true);
        }
        return "addresses unchanged";
    }
}
