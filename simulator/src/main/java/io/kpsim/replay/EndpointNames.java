package io.kpsim.replay;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;

/**
 * The {@code ip:port} words of the endpoints a replay names again and again, formatted once and
 * reused: every forwarded packet's step for the text output and {@code diagnose} carries its
 * source and destination after NAT as text ({@link ReplayRecord#outSrc()},
 * {@link ReplayRecord#outDst()}), and a connection's packets name the same two endpoints each
 * time. (Records for JSON Lines name them by the packet instead; the writer's thread formats them.)
 *
 * <p>A direct-mapped cache of {@link #SLOTS} entries: a miss formats ({@link Ip4#format(int, int)})
 * and replaces what the slot held, so memory stays fixed (about 2 MiB at most) whatever the
 * capture's size, and the words are always exactly what formatting would give.
 */
final class EndpointNames {

    /** Slots: more than a busy node's open connections' client endpoints, well under the L2 cache in keys. */
    static final int SLOTS = 1 << 15;

    private final long[] keys = new long[SLOTS];
    private final String[] names = new String[SLOTS];

    /** {@code ip:port} as {@link Ip4#format(int, int)} writes it. */
    String name(int ip, int port) {
        long key = ((ip & 0xffffffffL) << 16 | (port & 0xffff)) + 1; // + 1: key 0 marks an empty slot
        if ((port & ~0xffff) != 0) {
            return Ip4.format(ip, port);
        }
        long h = key * 0x9E3779B97F4A7C15L;
        int slot = (int) (h >>> 49) & (SLOTS - 1);
        if (keys[slot] == key) {
            return names[slot];
        }
        String name = Ip4.format(ip, port);
        keys[slot] = key;
        names[slot] = name;
        return name;
    }

    /** The packet's source or destination as {@link CopyMatcher#endpoint(Packet, boolean)} words it. */
    String endpoint(Packet p, boolean source) {
        int ip = source ? p.srcIp() : p.dstIp();
        return switch (p.protocol()) {
            case TCP, UDP -> name(ip, source ? p.srcPort() : p.dstPort());
            case ICMP, OTHER -> Ip4.format(ip);
        };
    }
}
