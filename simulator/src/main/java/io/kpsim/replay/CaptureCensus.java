package io.kpsim.replay;

import io.kpsim.packet.Ip4;
import io.kpsim.pcap.CaptureInterface;
import io.kpsim.pcap.LinkType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one capture's records were read: how many the node received (and were replayed), how many
 * it sent (and how many of those were copies of received packets), what was set aside and why,
 * and what the node's own copies said about the model. {@code kpsim replay} prints
 * {@link #classification()} as one stderr line per file and each of {@link #warnings()} as another,
 * so nothing is dropped or doubted in silence.
 */
public final class CaptureCensus {

    /** Services {@link #serviceUsed} recognises without its set. */
    private static final int SEEN_MAX = 8;

    private final String file;
    private LinkType linkType;
    private String interfaceName;
    private String nodeSideEvidence;
    private long records;
    private long filteredOut;
    private long received;
    private long sent;
    private long copies;
    private long twins;
    private final Map<String, Long> aside = new LinkedHashMap<>();
    private long ipv6;
    private long offloadedChecksums;
    private long optionsCut;
    private int snapLength;
    private long superPackets;
    private long agree;
    private long disagree;
    private String firstDisagreement;
    private long endpointsFromCapture;
    private long endpointsFromSeed;
    private long servicePackets;
    /** The services some packet was addressed to, by identity: formatted once, when asked for. */
    private final Set<ServiceMapping> servicesUsed = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * The first {@link #SEEN_MAX} services of {@link #servicesUsed}, compared by identity before it:
     * a capture's packets go to a handful of services in any order, and an identity set's
     * {@code add} of one already in it costs a hash and a probe per packet.
     */
    private final ServiceMapping[] seen = new ServiceMapping[SEEN_MAX];

    private int seenCount;
    private String servicesText;

    CaptureCensus(String file) {
        this.file = file;
    }

    void interfaceSeen(CaptureInterface iface) {
        if (linkType == null) {
            linkType = iface.linkType();
            interfaceName = iface.name();
            snapLength = iface.snapLength();
        }
    }

    void nodeSide(String evidence) {
        this.nodeSideEvidence = evidence;
    }

    void filteredOut() {
        records++;
        filteredOut++;
    }

    /** Counts one record that passed the filter, by how it was classified. */
    void count(Arrival a) {
        records++;
        switch (a.heading) {
            case RECEIVED -> received++;
            case SENT -> {
                sent++;
                if (a.aside.startsWith("sent by the node: ")) {
                    copies++;
                }
            }
            case ASIDE -> {
                String why = category(a.aside);
                if (why.equals("IPv6")) {
                    ipv6++;
                }
                if (why.equals("seen twice")) {
                    twins++;
                }
                aside.merge(why, 1L, Long::sum);
            }
        }
    }

    /** A short name for a reason a record was set aside. */
    private static String category(String why) {
        if (why.startsWith("not IPv4 (ethertype 0x86dd)") || why.startsWith("not IPv4 (IP version 6)")) {
            return "IPv6";
        }
        if (why.startsWith("not IPv4 (ethertype 0x0806)")) {
            return "ARP";
        }
        if (why.startsWith("not IPv4")) {
            return "other non-IPv4";
        }
        if (why.startsWith("the same packet as")) {
            return "seen twice";
        }
        if (why.startsWith("on the loopback device")) {
            return "loopback";
        }
        if (why.startsWith("between ")) {
            return "between two other hosts";
        }
        if (why.startsWith("IP fragment")) {
            return "IP fragments";
        }
        return "malformed or truncated";
    }

    void offloadedChecksum() {
        offloadedChecksums++;
    }

    void optionsCut() {
        optionsCut++;
    }

    void superPacket() {
        superPackets++;
    }

    void endpointFromCapture() {
        endpointsFromCapture++;
    }

    void endpointFromSeed() {
        endpointsFromSeed++;
    }

    /** Compares the model's record with the node's own copy, when the capture has it. */
    void compare(ReplayRecord model) {
        Observed o = model.observed();
        if (o == null) {
            return;
        }
        if (o.agrees(model)) {
            agree++;
            return;
        }
        disagree++;
        if (firstDisagreement == null) {
            firstDisagreement = "#" + model.index() + ": the model "
                    + (model.verdict() == ReplayRecord.Verdict.DROP
                            ? "dropped it"
                            : "forwarded it as " + model.outSrc() + " > " + model.outDst())
                    + ", " + o.describe();
        }
    }

    void serviceUsed(ServiceMapping s) {
        servicePackets++;
        for (int i = 0; i < seenCount; i++) {
            if (seen[i] == s) {
                return;
            }
        }
        if (servicesUsed.add(s) && seenCount < SEEN_MAX) {
            seen[seenCount++] = s;
        }
    }

    void services(String fronts) {
        this.servicesText = fronts;
    }

    /** The services (as {@code vip:port}) some replayed packet of this file was addressed to. */
    public Set<String> servicesUsed() {
        Set<String> fronts = new TreeSet<>();
        for (ServiceMapping s : servicesUsed) {
            fronts.add(Ip4.format(s.vip(), s.port()));
        }
        return Set.copyOf(fronts);
    }

    /** Packets the model and the node's own copies agree on. */
    public long agreements() {
        return agree;
    }

    /** Packets where they differ: a model bug or a gap in the capture. */
    public long disagreements() {
        return disagree;
    }

    /** Replayed (received) packets. */
    public long received() {
        return received;
    }

    /** Records the node sent (not replayed). */
    public long sent() {
        return sent;
    }

    /** Of those, copies of a received packet. */
    public long copies() {
        return copies;
    }

    /** New connections whose endpoint came from the capture, and from the seed. */
    public long[] endpoints() {
        return new long[] {endpointsFromCapture, endpointsFromSeed};
    }

    /**
     * One line: {@code a.pcap: Linux cooked v2 (any): 1204 records: 602 received and replayed, 598
     * sent by the node (596 copies of received packets), 4 set aside (2 IPv6, 2 ARP)}.
     */
    public String classification() {
        StringBuilder s = new StringBuilder(file).append(": ");
        s.append(linkType == null ? "no records" : linkType.description());
        if (interfaceName != null) {
            s.append(" (").append(interfaceName).append(')');
        }
        if (nodeSideEvidence != null) {
            s.append(", ").append(nodeSideEvidence);
        }
        s.append(": ").append(records).append(records == 1 ? " record" : " records");
        if (filteredOut > 0) {
            s.append(", ").append(filteredOut).append(" left out by --filter");
        }
        s.append(": ").append(received).append(" received and replayed, ");
        s.append(sent).append(" sent by the node");
        if (sent > 0) {
            s.append(" (")
                    .append(copies)
                    .append(copies == 1 ? " copy" : " copies")
                    .append(" of received packets)");
        }
        long set = aside.values().stream().mapToLong(Long::longValue).sum();
        s.append(", ").append(set).append(" set aside");
        if (set > 0) {
            List<String> parts = new ArrayList<>();
            aside.forEach((why, n) -> parts.add(n + " " + why));
            s.append(" (").append(String.join(", ", parts)).append(')');
        }
        return s.toString();
    }

    /** One line each: what the user must know about this file's replay. */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (ipv6 > 0) {
            w.add(file + ": " + ipv6 + " IPv6 " + (ipv6 == 1 ? "packet" : "packets")
                    + " set aside: IPv6 is not modelled");
        }
        if (optionsCut > 0) {
            w.add(file + ": " + optionsCut + " TCP " + (optionsCut == 1 ? "header" : "headers")
                    + " had options cut by the snap length (" + snapLength + " bytes): a SYN without its window"
                    + " scale is tracked unscaled; capture with -s 128 or more");
        }
        if (servicesText != null && servicePackets == 0 && received > 0) {
            w.add(file + ": no replayed packet is for any service (" + servicesText + ")");
        }
        if (disagree > 0) {
            w.add(file + ": the node's own copies disagree with the model on " + disagree
                    + (disagree == 1 ? " packet" : " packets") + " (" + agree + " agree); first " + firstDisagreement
                    + ": a model bug or a gap in the capture");
        }
        return w;
    }

    /**
     * Notes for the text summary: the node's copies compared, where endpoints came from, offloaded
     * checksums and GSO super-packets; empty when there is nothing to say.
     */
    public String notes() {
        List<String> parts = new ArrayList<>();
        if (agree + disagree > 0) {
            parts.add("the node's copies: " + agree + " agree, " + disagree + " disagree");
        }
        if (endpointsFromCapture + endpointsFromSeed > 0) {
            parts.add("endpoints: " + endpointsFromCapture + " from the capture, " + endpointsFromSeed
                    + " from the seed");
        }
        if (offloadedChecksums > 0) {
            parts.add(offloadedChecksums + " offloaded checksums (CHECKSUM_PARTIAL, not bad)");
        }
        if (superPackets > 0) {
            parts.add(superPackets + " GSO/GRO super-packets (one skb each)");
        }
        return String.join("; ", parts);
    }
}
