package io.kpsim.cluster;

import io.kpsim.engine.Durations;
import io.kpsim.engine.Simulation;
import io.kpsim.engine.Timer;
import io.kpsim.packet.Packet;
import java.util.SplittableRandom;

/**
 * A one-way channel (half of a veth pair or of a node-to-node wire) with {@link LinkImpairments}.
 *
 * <p>Order of effects for each packet, as {@code netem} then {@code tbf} apply them: random loss,
 * then duplication (the copy is queued right behind the original), then the drop-tail queue in
 * front of a wire of {@code bytesPerSecond}, then propagation delay plus jitter, plus the hold-back
 * detour for the unlucky ones. The queue is modelled as a fluid backlog: the bytes still waiting
 * are {@code (busyUntil - now) * rate}, so no per-packet queue structure exists; a packet that
 * would push the backlog past the limit is dropped.
 *
 * <p>Packets on the wire wait in the link's own arrival queue ({@link InFlight}); the simulation
 * holds a single timer per link for the earliest arrival.
 *
 * <p>Every random draw comes from the link's own stream (named {@code "link:" + name}) and the
 * draws per packet are made in a fixed order, so a seed fixes every decision.
 */
public final class Link {

    private final String name;
    private final Simulation simulation;
    private final LinkImpairments impairments;
    private final SplittableRandom random;
    private final PacketReceiver receiver;
    private final Tracer tracer;
    private final long rate;
    private final InFlight inFlight;
    private final Timer arrivalTimer;
    private long busyUntilNanos;
    /** {@link #routeWords}' last interface and its words. */
    private String routeIface;

    private String routeWords;

    private long offered;
    private long delivered;
    private long queueDrops;
    private long lost;
    private long duplicated;
    private long heldBack;
    private long bytesDelivered;

    Link(
            String name,
            Simulation simulation,
            LinkImpairments impairments,
            SplittableRandom random,
            PacketReceiver receiver,
            Tracer tracer) {
        this.name = name;
        this.simulation = simulation;
        this.impairments = impairments;
        this.random = random;
        this.receiver = receiver;
        this.tracer = tracer;
        this.rate = impairments.bytesPerSecond();
        this.inFlight = new InFlight(impairments.jitterNanos() == 0 && impairments.holdBackProbability() == 0);
        this.arrivalTimer = simulation.timer(this::deliverDue);
    }

    /** The link's name, e.g. {@code node-a->node-b} or {@code client-0:veth}. */
    public String name() {
        return name;
    }

    /** The configured impairments. */
    public LinkImpairments impairments() {
        return impairments;
    }

    /** The counters so far. */
    public LinkStats stats() {
        return new LinkStats(offered, delivered, queueDrops, lost, duplicated, heldBack, bytesDelivered);
    }

    /**
     * The words of a node's route onto this link out of {@code iface} ({@code out eth1 to
     * node-a->node-b}), made once for the interface and kept: a narrated run's node verdicts give
     * them for nearly every packet.
     */
    String routeWords(String iface) {
        if (iface != routeIface) { // the same String as last time (the route's): no compare
            routeWords = "out " + iface + " to " + name;
            routeIface = iface;
        }
        return routeWords;
    }

    /** Offers {@code packet} to the link now. */
    void send(Packet packet, long packetId) {
        send(packet, packetId, packet.totalLength());
    }

    /** Offers {@code packet}, whose IP length is {@code size}, to the link now. */
    void send(Packet packet, long packetId, int size) {
        offered++;
        LinkImpairments imp = impairments;
        if (imp.lossProbability() > 0 && random.nextDouble() < imp.lossProbability()) {
            lost++;
            if (tracer.on()) {
                tracer.packet(simulation.now(), packetId, TracePoint.LINK_LOSS, name, packet, "random loss");
            }
            return;
        }
        boolean duplicate = imp.duplicateProbability() > 0 && random.nextDouble() < imp.duplicateProbability();
        transmit(packet, packetId, size, !duplicate);
        if (duplicate) {
            duplicated++;
            if (tracer.on()) {
                tracer.packet(simulation.now(), packetId, TracePoint.LINK_DUPLICATE, name, packet, null);
            }
            transmit(packet, packetId, size, false);
        }
    }

    /**
     * Queues one copy of a packet; {@code alone} when the link made no other (then the trace may
     * hand its hop with its arrival: no LINK_DUPLICATE event falls between its send and delivery).
     */
    private void transmit(Packet packet, long packetId, int size, boolean alone) {
        long now = simulation.now();
        LinkImpairments imp = impairments;
        long departure = now;
        if (rate > 0) {
            long start = Math.max(now, busyUntilNanos);
            long backlogBytes = (start - now) * rate / Durations.NANOS_PER_SECOND;
            if (backlogBytes + size > imp.queueLimitBytes()) {
                queueDrops++;
                if (tracer.on()) {
                    tracer.packet(
                            now,
                            packetId,
                            TracePoint.LINK_QUEUE_DROP,
                            name,
                            packet,
                            "queue full: " + backlogBytes + " of " + imp.queueLimitBytes() + " bytes");
                }
                return;
            }
            departure = start + Durations.transmissionNanos(size, rate);
            busyUntilNanos = departure;
        }
        long arrival = departure + imp.delayNanos();
        if (imp.jitterNanos() > 0) {
            arrival += random.nextLong(imp.jitterNanos() + 1);
        }
        boolean hold = imp.holdBackProbability() > 0 && random.nextDouble() < imp.holdBackProbability();
        if (hold) {
            heldBack++;
            arrival += imp.holdBackNanos();
        }
        long sent = -1; // when the hop goes with the arrival: the time it was sent
        if (tracer.on()) {
            sent = traceSend(now, packet, packetId, arrival, hold, alone);
        }
        if (inFlight.isEmpty() || arrival < inFlight.headTime()) {
            arrivalTimer.armAt(arrival);
        }
        inFlight.add(arrival, packet, packetId, size, sent);
    }

    /**
     * Traces the send of a packet due at {@code arrival}: its LINK_SEND (or LINK_HOLD_BACK) event, made
     * only for the listeners that take it; when a {@link LinkHopsListener} listens and the packet was
     * neither held back nor duplicated, the hop goes with the arrival instead ({@link Tracer#handOn})
     * and the send time is returned, else -1.
     */
    private long traceSend(long now, Packet packet, long packetId, long arrival, boolean hold, boolean alone) {
        if (!hold && alone && tracer.hopsWithArrivals()) {
            if (tracer.wants(TracePoint.LINK_SEND)) {
                tracer.emit(TraceEvent.linkSend(TracePoint.LINK_SEND, now, packetId, name, packet, arrival - now));
            }
            return now;
        }
        if (hold) {
            if (tracer.wants(TracePoint.LINK_HOLD_BACK)) {
                tracer.emit(TraceEvent.linkSend(TracePoint.LINK_HOLD_BACK, now, packetId, name, packet, arrival - now));
            }
        } else if (tracer.wantsHopEvent(TracePoint.LINK_SEND)) {
            tracer.hopEvent(TraceEvent.linkSend(TracePoint.LINK_SEND, now, packetId, name, packet, arrival - now));
        }
        return -1;
    }

    /** Delivers every packet due by now, then re-arms for the next arrival. */
    private void deliverDue() {
        long now = simulation.now();
        while (!inFlight.isEmpty() && inFlight.headTime() <= now) {
            Packet packet = inFlight.headPacket();
            long packetId = inFlight.headId();
            int size = inFlight.headSize();
            long sent = inFlight.headSent();
            long arrival = inFlight.headTime();
            delivered++;
            bytesDelivered += size;
            inFlight.removeHead();
            if (sent >= 0) { // the hop goes with the arrival: the node's verdict or the pod's receipt
                deliverWithHop(now, packet, packetId, size, sent, arrival);
                continue;
            }
            if (tracer.on() && tracer.wantsHopEvent(TracePoint.LINK_DELIVER)) {
                tracer.hopEvent(TraceEvent.linkDeliver(now, packetId, name, packet));
            }
            receiver.receive(packet, packetId, size);
        }
        if (!inFlight.isEmpty()) {
            arrivalTimer.armAt(inFlight.headTime());
        }
    }

    /** Delivers a packet whose hop the trace hands with what the receiver does with it ({@link Tracer#handOn}). */
    private void deliverWithHop(long now, Packet packet, long packetId, int size, long sent, long arrival) {
        if (tracer.wants(TracePoint.LINK_DELIVER)) {
            tracer.emit(TraceEvent.linkDeliver(now, packetId, name, packet));
        }
        tracer.handOn(name, packetId, packet, sent, arrival);
        receiver.receive(packet, packetId, size);
        tracer.handedOn();
    }

    /** Packets on the wire now. */
    public int inFlight() {
        return inFlight.size();
    }

    @Override
    public String toString() {
        return "Link[" + name + "]";
    }
}
