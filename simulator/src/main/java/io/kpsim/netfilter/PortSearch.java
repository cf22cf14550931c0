package io.kpsim.netfilter;

import io.kpsim.conntrack.NatLookup;
import io.kpsim.conntrack.Tuple;
import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.Protocol;
import java.util.SplittableRandom;

/**
 * The last step of {@code get_unique_tuple()}: {@code nf_nat_l4proto_unique_tuple()} moves the port
 * (or ICMP echo id) of a tuple NAT wants into its range until the tuple is free, as each release
 * does it. Five switches decide how:
 *
 * <ul>
 *   <li>without {@link Switch#NAT_PORT_ATTEMPTS} (4.14.0-264, 4.19.0-227): the search starts at the
 *       protocol's rover ({@code static u16 tcp_port_rover} / {@code udp_port_rover} of
 *       {@code nf_nat_proto_tcp.c} / {@code nf_nat_proto_udp.c}), walks the whole range and
 *       leaves the rover at the port it chose, so successive remaps take successive ports; when
 *       every port is taken it returns the last one without testing it (read: 4.19.1
 *       {@code nf_nat_proto_common.c}, chens37/linux-4.19.1 {@code 36e37757ab});</li>
 *   <li>with it (5.0, 4.14.265, 4.19.228): a random start and at most 128, then 64, 32, 16 and 8
 *       probes from new random starts (248: the round of 16 still halves), then the last
 *       candidate whatever its state (read:
 *       4.19.255 {@code nf_nat_proto_common.c}, whitehax0r {@code 0f0542cc10}; 6.18.2
 *       {@code nf_nat_core.c});</li>
 *   <li>without {@link Switch#NAT_ICMP_ID_SEARCH} (up to 4.19.y): ICMP echo ids come from
 *       {@code icmp_unique_tuple()} of {@code nf_nat_proto_icmp.c}, a {@code static u16 id} rover
 *       over {@code 0xFFFF} ids, whole range; from 5.0 they are searched like ports over 0..65535;</li>
 *   <li>{@link Switch#NAT_EVICT_TIME_WAIT} (6.6): each probe is {@code nf_nat_used_tuple_harder()},
 *       which in a round's last 32 probes may evict a TIME_WAIT entry
 *       ({@link NatLookup#usedTupleHarder});</li>
 *   <li>{@link Switch#NAT_DNAT_FROM_MIN} (6.7..6.12): a DNAT range without {@code random} starts at
 *       its minimum ({@code off = 0}) and draws no random number for the first round.</li>
 * </ul>
 *
 * <p>The rovers are module statics in the kernel, shared by every namespace of a host; kpsim
 * keeps them per node, which is a host. {@code NF_NAT_RANGE_PROTO_RANDOM} ({@code --random},
 * nftables {@code random}) drew its start from {@code secure_port()} before 5.0, a keyed hash of the
 * addresses; kpsim draws it from the node's stream, as {@code --random-fully} does.
 * {@code NF_NAT_RANGE_PROTO_OFFSET} (NETMAP-style port offsets) is not modelled.
 */
final class PortSearch {

    /** {@code NF_NAT_MAX_ATTEMPTS}: the first round's probes. */
    static final int MAX_ATTEMPTS = 128;

    private final NatLookup lookup;
    private final SplittableRandom random;
    private final boolean attemptsCap;
    private final boolean icmpIdSearch;
    private final boolean evictTimeWait;
    private final boolean dnatFromMin;
    /** {@code tcp_port_rover} (u16), used without {@link Switch#NAT_PORT_ATTEMPTS}. */
    private int tcpRover;
    /** {@code udp_port_rover} (u16). */
    private int udpRover;
    /** {@code icmp_unique_tuple()}'s {@code static u_int16_t id}. */
    private int icmpId;

    PortSearch(Kernel kernel, NatLookup lookup, SplittableRandom random) {
        this.lookup = lookup;
        this.random = random;
        this.attemptsCap = kernel.has(Switch.NAT_PORT_ATTEMPTS);
        this.icmpIdSearch = kernel.has(Switch.NAT_ICMP_ID_SEARCH);
        this.evictTimeWait = kernel.has(Switch.NAT_EVICT_TIME_WAIT);
        this.dnatFromMin = kernel.has(Switch.NAT_DNAT_FROM_MIN);
    }

    /**
     * {@code nf_nat_l4proto_unique_tuple()} (and before 5.0 {@code icmp_unique_tuple()}).
     *
     * @param tuple the tuple NAT wants, address already mapped
     * @param entry the unconfirmed entry being NATed ({@code ignored_conntrack})
     * @return a free tuple, or the last candidate when none was found (the confirm clash then drops)
     */
    Tuple search(Tuple tuple, NatRange range, NatManip manip, int entry, long now) {
        int min = 0;
        int size = 0;
        boolean source = true;
        switch (tuple.protocol()) {
            case ICMP -> {
                source = true; // the echo id lives in the source half for either direction
                if (!icmpIdSearch) {
                    return icmpRover(tuple, range, entry, now);
                }
                if (range.protoSpecified()) {
                    min = range.minPort();
                    size = range.maxPort() - range.minPort() + 1;
                } else {
                    min = 0;
                    size = 65536;
                }
            }
            case TCP, UDP -> {
                source = manip == NatManip.SRC;
                if (range.protoSpecified()) {
                    min = range.minPort();
                    size = range.maxPort() - range.minPort() + 1;
                } else {
                    if (manip == NatManip.DST) {
                        return tuple; // "If it's dst rewrite, can't change port"
                    }
                    int key = tuple.srcPort();
                    if (key < 512) {
                        min = 1;
                        size = 511;
                    } else if (key < 1024) {
                        min = 600;
                        size = 424;
                    } else {
                        min = 1024;
                        size = 65535 - 1024 + 1;
                    }
                }
            }
            case OTHER -> {
                return tuple;
            }
        }
        if (!attemptsCap) {
            return roverWalk(tuple, range, min, size, source, entry, now);
        }
        int off = !range.randomAll() && manip == NatManip.DST && dnatFromMin ? 0 : random.nextInt(65536);
        int attempts = Math.min(size, MAX_ATTEMPTS);
        Tuple candidate = tuple;
        while (true) {
            for (int i = 0; i < attempts; i++, off = (off + 1) & 0xffff) {
                candidate = withKey(tuple, source, min + off % size);
                boolean used = evictTimeWait
                        ? lookup.usedTupleHarder(candidate, entry, attempts - i, now)
                        : lookup.usedTuple(candidate, entry, now);
                if (!used) {
                    return candidate;
                }
            }
            if (attempts >= size || attempts < 16) {
                return candidate;
            }
            attempts /= 2;
            off = random.nextInt(65536);
        }
    }

    /** Up to 4.19.227 / 4.14.264: from the protocol's rover over the whole range, rover left at the choice. */
    private Tuple roverWalk(Tuple tuple, NatRange range, int min, int size, boolean source, int entry, long now) {
        boolean tcp = tuple.protocol() == Protocol.TCP;
        int off = range.randomAll() ? random.nextInt(65536) : tcp ? tcpRover : udpRover;
        for (int i = 0; ; off = (off + 1) & 0xffff) {
            Tuple candidate = withKey(tuple, source, min + off % size);
            if (++i != size && lookup.usedTuple(candidate, entry, now)) {
                continue;
            }
            if (!range.randomAll()) {
                if (tcp) {
                    tcpRover = off;
                } else {
                    udpRover = off;
                }
            }
            return candidate;
        }
    }

    /** Up to 4.19.y: {@code icmp_unique_tuple()}, the static id rover over {@code 0xFFFF} ids. */
    private Tuple icmpRover(Tuple tuple, NatRange range, int entry, long now) {
        int min = range.minPort();
        int size = range.protoSpecified() ? range.maxPort() - range.minPort() + 1 : 0xffff;
        for (int i = 0; ; icmpId = (icmpId + 1) & 0xffff) {
            Tuple candidate = withKey(tuple, true, (min + icmpId % size) & 0xffff);
            if (++i == size || !lookup.usedTuple(candidate, entry, now)) {
                return candidate;
            }
        }
    }

    private static Tuple withKey(Tuple t, boolean source, int key) {
        return source
                ? new Tuple(t.protocol(), t.srcIp(), key, t.dstIp(), t.dstPort())
                : new Tuple(t.protocol(), t.srcIp(), t.srcPort(), t.dstIp(), key);
    }
}
