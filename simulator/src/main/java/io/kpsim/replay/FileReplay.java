package io.kpsim.replay;

import io.kpsim.conntrack.ConnTable;
import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtResult;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.PackedResult;
import io.kpsim.conntrack.TcpState;
import io.kpsim.conntrack.Tuple;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.PathResult;
import io.kpsim.netfilter.Skb;
import io.kpsim.netfilter.Walk;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.pcap.CaptureFilter;
import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.DecodedPacket;
import io.kpsim.pcap.LinkLayer;
import io.kpsim.pcap.LinkType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One file's replay: each record classified (received, sent by the node, set aside; for a
 * one-interface Ethernet capture once the node's MAC is known), paired with the node's own copy
 * ({@link CopyMatcher}), then run through the model node in file order, a window of records at a
 * time with their conntrack lookups prefetched together. {@link Replayer} makes one per file.
 */
final class FileReplay {

    private final String name;
    /** Where each replayed record goes with the node's full result, or {@code null} (then {@link #records}). */
    private final Consumer<ReplayStep> steps;
    /** Where each replayed record goes when its record is all that is needed, or {@code null}. */
    private final Consumer<ReplayRecord> records;

    private final ReplayOptions options;
    private final ServiceSet services;
    final CaptureCensus census;
    private final NodeDatapath node;
    private final CopyMatcher copies = new CopyMatcher();
    private final CaptureFilter filter;
    private final NodeMacFinder finder;
    private long nodeMac;
    private boolean macSearchOver;
    private final List<Arrival> undecided = new ArrayList<>();
    private long undecidedBytes;
    private final Arrival[] window = new Arrival[Replayer.WINDOW];
    private int windowed;
    private final long[] keyHighs = new long[Replayer.WINDOW];
    private final long[] keyLows = new long[Replayer.WINDOW];
    private long clock = Long.MIN_VALUE;
    private final ReplayArrivals arrivals;
    private final EndpointNames endpoints = new EndpointNames();
    /** Whether the file has one interface (a pcap file), so its link type says whether copies can exist. */
    private final boolean oneInterface;

    private boolean firstSeen;

    FileReplay(
            String name,
            Consumer<ReplayStep> steps,
            Consumer<ReplayRecord> records,
            ReplayArrivals arrivals,
            NodeDatapath node,
            ReplayOptions options,
            ServiceSet services,
            boolean oneInterface) {
        this.name = name;
        this.oneInterface = oneInterface;
        if ((steps == null) == (records == null)) {
            throw new IllegalArgumentException("a file replay needs one sink: of steps or of records");
        }
        this.steps = steps;
        this.records = records;
        this.arrivals = arrivals;
        this.node = node;
        this.options = options;
        this.services = services;
        this.filter = options.filter();
        this.nodeMac = options.nodeMac();
        this.census = new CaptureCensus(name);
        this.finder = nodeMac >= 0 ? null : new NodeMacFinder(services);
        if (!services.isEmpty()) {
            census.services(services.fronts());
        }
    }

    void add(CaptureRecord record) {
        census.interfaceSeen(record.iface());
        if (filter != null && !filter.accepts(record)) {
            census.filteredOut();
            return;
        }
        Arrival a = new Arrival(record);
        if (!firstSeen) {
            firstSeen = true;
            LinkType type = record.linkType();
            if (oneInterface && (type == LinkType.RAW || type == LinkType.IPV4)) {
                copies.copiesImpossible(); // raw IP on one interface: nothing tells a sent packet from a received one
            }
        }
        if (record.linkType() == LinkType.ETHERNET && record.direction() == CaptureRecord.DIRECTION_UNKNOWN) {
            if (nodeMac >= 0 && !macSearchOver) {
                macSearchOver = true;
                census.nodeSide("the node is " + LinkLayer.formatMac(nodeMac) + " (--node-mac)");
            }
            if (!macSearchOver) {
                finder.look(record);
                undecided.add(a);
                undecidedBytes += record.frame().length;
                if (finder.decided()
                        || undecided.size() >= Replayer.MAC_SEARCH_RECORDS
                        || undecidedBytes >= Replayer.MAC_SEARCH_BYTES) {
                    settleMac();
                }
                return;
            }
        }
        offer(a);
    }

    /** Decides the node's MAC (or that it stays unknown) and lets the records held so far through. */
    private void settleMac() {
        macSearchOver = true;
        if (finder.decided()) {
            nodeMac = finder.mac();
            census.nodeSide(finder.evidence());
        } else {
            census.nodeSide("no frame to or from a service" + (services.isEmpty() ? " (none given)" : "")
                    + ", so the node's MAC is unknown and every frame is replayed as received (give --node-mac)");
        }
        if (nodeMac == NodeMacFinder.UNKNOWN && oneInterface) {
            copies.copiesImpossible(); // every frame of the one interface is replayed as received
        }
        for (Arrival a : undecided) {
            offer(a);
        }
        undecided.clear();
    }

    private void offer(Arrival a) {
        NodeSide.classify(a, nodeMac);
        copies.add(a);
        drain(false);
    }

    void end() {
        if (!macSearchOver && !undecided.isEmpty()) {
            settleMac();
        }
        drain(true);
        flush();
    }

    private void drain(boolean end) {
        Arrival a;
        while ((a = copies.next(end)) != null) {
            window[windowed++] = a;
            if (windowed == Replayer.WINDOW) {
                flush();
            }
        }
    }

    /** Replays the released records, their conntrack lookups prefetched together. */
    private void flush() {
        int keys = 0;
        for (int i = 0; i < windowed; i++) {
            Packet p = window[i].heading == Heading.RECEIVED ? window[i].packet() : null;
            if (p != null && (p.protocol() == Protocol.TCP || p.protocol() == Protocol.UDP)) {
                keyHighs[keys] = ConnTable.keyHigh(p.srcIp(), p.dstIp());
                keyLows[keys++] = ConnTable.keyLow(p.protocol().number(), p.srcPort(), p.dstPort());
            }
        }
        node.conntrack().prefetch(keyHighs, keyLows, keys);
        for (int i = 0; i < windowed; i++) {
            Arrival a = window[i];
            window[i] = null;
            clock = Math.max(clock, a.timestampNanos()); // jiffies never go back
            census.count(a);
            replay(a, clock);
        }
        windowed = 0;
    }

    /**
     * Runs one record through the node at {@code now} (its timestamp, or the latest one before it
     * when the capture's clock stepped back) and hands the result to the sink. Only a step sink
     * gets the node's full {@link PathResult} and the connection's tuples; a record sink gets the
     * record alone, read from the datapath's reused walk.
     */
    private void replay(Arrival a, long now) {
        CaptureRecord record = a.record;
        int index = a.index();
        String skipped = a.heading == Heading.RECEIVED ? null : a.aside;
        DecodedPacket decoded = record.decoded();
        if (skipped == null && options.verifyChecksums() && !decoded.ipChecksumValid()) {
            // ip_rcv_core(): ip_fast_csum() over the header must be 0, else the packet is dropped
            // (IPSTATS_MIB_CSUMERRORS) before PREROUTING: conntrack never sees it.
            skipped = "bad IPv4 header checksum: ip_rcv() drops it before conntrack";
        }
        if (skipped != null) {
            ReplayRecord r = ReplayRecord.skipped(name, index, skipped);
            if (steps != null) {
                steps.accept(ReplayStep.skipped(r, record.timestampNanos()));
            } else {
                records.accept(r);
            }
            return;
        }
        Packet in = record.packet();
        boolean checksumOk = true;
        if (options.verifyChecksums()) {
            checksumOk = decoded.l4ChecksumValid();
            if (decoded.l4ChecksumOffloaded()) {
                census.offloadedChecksum();
            }
        }
        if (decoded.tcpOptionsCut()) {
            census.optionsCut();
        }
        if (in.totalLength() > Replayer.MTU) {
            census.superPacket();
        }
        ServiceMapping service = services.addressedTo(in);
        if (service != null) {
            census.serviceUsed(service);
        }
        Observed observed = a.observed;
        if (a.copy != null && (a.copy.dstIp() != in.dstIp() || a.copy.dstPort() != in.dstPort())) {
            node.steerNextDnat(a.copy.dstIp(), a.copy.dstPort());
        }
        if (arrivals != null) {
            arrivals.arriving(node.conntrack(), index, in, now);
        }
        Walk walk = node.forwardWalk(in, Replayer.IN_DEVICE, Replayer.OUT_DEVICE, checksumOk, now);
        int packed = walk.ctPacked();
        if (packed == Walk.CT_NOT_SEEN) {
            throw new IllegalStateException("record " + index + " of " + name
                    + " left the node before PREROUTING's conntrack hook, which replay does not model");
        }
        PathResult result = steps != null ? walk.result() : null;
        int draws = node.lastStatisticDraws();
        EndpointChoice choice = (draws & Skb.STEERED) != 0
                ? EndpointChoice.CAPTURE
                : (draws & Skb.DRAWN) != 0 ? EndpointChoice.SEED : EndpointChoice.NONE;
        switch (choice) {
            case CAPTURE -> census.endpointFromCapture();
            case SEED -> census.endpointFromSeed();
            case NONE -> {
                // no choice was made
            }
        }
        Conntrack conntrack = node.conntrack();
        int entry = entryOf(conntrack, in, packed, now);
        ReplayRecord r = toRecord(conntrack, index, in, packed, walk.ctReason(), walk, entry, record, observed);
        census.compare(r);
        if (steps == null) {
            records.accept(r);
            return;
        }
        Tuple connection = null;
        CtDir side = null;
        if (entry != Conntrack.NO_ENTRY) {
            connection = conntrack.tuple(entry, CtDir.ORIGINAL);
            side = connection.equals(tupleOf(in)) ? CtDir.ORIGINAL : CtDir.REPLY;
        }
        steps.accept(new ReplayStep(r, record.timestampNanos(), in, result, connection, side, choice));
    }

    /** The conntrack entry attached to the packet ({@link CtResult#entry()}), or {@link Conntrack#NO_ENTRY}. */
    private static int attached(int packed) {
        return PackedResult.tracked(packed) ? PackedResult.entry(packed) : Conntrack.NO_ENTRY;
    }

    /**
     * The conntrack entry the packet's tuple (as received) matches in either direction, after the
     * packet; for an ICMP error, the entry of the connection its quoted header belongs to.
     * {@code packed} is conntrack's verdict on the packet ({@link PackedResult}).
     */
    private static int entryOf(Conntrack conntrack, Packet in, int packed, long now) {
        int attached = attached(packed);
        boolean tracked = attached != Conntrack.NO_ENTRY;
        IcmpMessage icmp = in.icmp();
        if (icmp != null && icmp.isError() && icmp.quoted() != null) {
            return tracked ? attached : conntrack.find(tupleOf(icmp.quoted()).invert(), now);
        }
        if (in.protocol() != Protocol.TCP && in.protocol() != Protocol.UDP) {
            return tracked && conntrack.findable(attached, now) ? attached : Conntrack.NO_ENTRY;
        }
        // The entry the packet was tracked with holds its tuple in one direction; only when it is
        // gone (INVALID, dropped before confirm, killed, expired) is a lookup needed.
        return tracked && conntrack.findable(attached, now) ? attached : conntrack.find(tupleOf(in), now);
    }

    /**
     * The TCP state of the packet's entry after the packet: a TCP packet's own entry is a TCP entry;
     * an ICMP error's may be the quoted UDP connection's, which has none.
     */
    private static TcpState tcpState(Conntrack conntrack, Packet in, boolean tcp, int entry) {
        if (!tcp || entry == Conntrack.NO_ENTRY) {
            return null;
        }
        return in.protocol() == Protocol.TCP ? conntrack.tcpStateOfTcpPacket(entry) : conntrack.tcpState(entry);
    }

    /**
     * The record of a replayed packet, with the packet as received and what its copy showed;
     * {@code packed} and {@code reason} are conntrack's verdict, {@code walk} the node's walk of it.
     */
    private ReplayRecord toRecord(
            Conntrack conntrack,
            int index,
            Packet in,
            int packed,
            String reason,
            Walk walk,
            int entry,
            CaptureRecord record,
            Observed observed) {
        boolean accepted = walk.accepted();
        Packet out = walk.out();
        IcmpMessage icmp = in.icmp();
        String innerSrc = null;
        String innerDst = null;
        if (icmp != null
                && icmp.isError()
                && icmp.quoted() != null
                && accepted
                && out.icmp() != null
                && out.icmp().quoted() != null) {
            innerSrc = CopyMatcher.endpoint(out.icmp().quoted(), true);
            innerDst = CopyMatcher.endpoint(out.icmp().quoted(), false);
        }
        // only a TCP entry has a TCP state, and only a TCP tuple (or an error quoting one) can match one
        boolean tcp = in.protocol() == Protocol.TCP || (icmp != null && icmp.isError() && icmp.quoted() != null);
        CtState state = PackedResult.state(packed);
        // a record sink (JSON Lines, the oracle) names the addresses after NAT by the packet, written
        // as text by the output thread; the text output and diagnose read them as words, cached here
        boolean byPacket = steps == null;
        return new ReplayRecord(
                name,
                index,
                record.timestampNanos(),
                record.iface().timestampDigits(),
                record.packet(),
                state,
                state == CtState.INVALID || state == CtState.UNTRACKED ? null : PackedResult.direction(packed),
                tcpState(conntrack, in, tcp, entry),
                accepted ? ReplayRecord.Verdict.ACCEPT : ReplayRecord.Verdict.DROP,
                accepted && !byPacket ? endpoints.endpoint(out, true) : null,
                accepted && !byPacket ? endpoints.endpoint(out, false) : null,
                innerSrc,
                innerDst,
                reason,
                observed,
                null,
                accepted && byPacket ? out : null);
    }

    /** The packet's conntrack tuple as received ({@code nf_ct_get_tuple()}). */
    static Tuple tupleOf(Packet p) {
        Protocol proto = p.protocol();
        if (proto == Protocol.ICMP) {
            IcmpMessage m = p.icmp();
            return new Tuple(proto, p.srcIp(), m.identifier(), p.dstIp(), (m.type() << 8) | m.code());
        }
        return new Tuple(proto, p.srcIp(), p.srcPort(), p.dstIp(), p.dstPort());
    }
}
