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
        transmit(packet, packetId, size);
        if (duplicate) {
            duplicated++;
            if (tracer.on()) {
                tracer.packet(simulation.now(), packetId, TracePoint.LINK_DUPLICATE, name, packet, null);
            }
            transmit(packet, packetId, size);
        }
    }

    private void transmit(Packet packet, long packetId, int size) {
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
        if (tracer.on()) {
            tracer.packet(
                    now,
                    packetId,
                    hold ? TracePoint.LINK_HOLD_BACK : TracePoint.LINK_SEND,
                    name,
                    packet,
                    arrivesAfter(arrival - now));
        }
        if (inFlight.isEmpty() || arrival < inFlight.headTime()) {
            arrivalTimer.armAt(arrival);
        }
        inFlight.add(arrival, packet, packetId, size);
    }

    /** A LINK_SEND event's words, e.g. {@code arrives +512us}, formatted when read. */
    private static TraceText arrivesAfter(long delayNanos) {
        return () -> "arrives +" + Durations.format(delayNanos);
    }

    /** Delivers every packet due by now, then re-arms for the next arrival. */
    private void deliverDue() {
        long now = simulation.now();
        while (!inFlight.isEmpty() && inFlight.headTime() <= now) {
            Packet packet = inFlight.headPacket();
            long packetId = inFlight.headId();
            int size = inFlight.headSize();
            delivered++;
            bytesDelivered += size;
            inFlight.removeHead();
            if (tracer.on()) {
                tracer.packet(now, packetId, TracePoint.LINK_DELIVER, name, packet, null);
            }
            receiver.receive(packet, packetId, size);
        }
        if (!inFlight.isEmpty()) {
            arrivalTimer.armAt(inFlight.headTime());
        }
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
