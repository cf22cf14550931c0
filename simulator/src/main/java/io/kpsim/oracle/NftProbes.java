package io.kpsim.oracle;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The probes for one generated ruleset: first packets (TCP SYN, UDP, ICMP echo) from external
 * clients and other nodes' pods on the client side, and from the node's own pods on the server
 * side (hairpin), to Service ports (right and wrong port and protocol), NodePorts on the node's
 * address, external IPs, extra Service addresses, unallocated ClusterIPs, pods, remote hosts and
 * the node itself. Each probe has a source port of its own, so no probe meets another's
 * conntrack entry.
 */
final class NftProbes {

    /** A probe and the side of the node it arrives on. */
    record Probe(Packet packet, boolean fromServerSide) {}

    private final SplittableRandom random;
    private int nextPort = 20000;
    private int nextIcmpId = 1;

    NftProbes(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** {@code n} probes aimed at what {@code g} defines and around it. */
    List<Probe> probes(NftRulesetGenerator.Generated g, int n) {
        List<Probe> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(one(g));
        }
        return out;
    }

    private Probe one(NftRulesetGenerator.Generated g) {
        boolean fromPod = random.nextInt(6) == 0;
        int src = fromPod
                ? pick(NftOraclePlan.pods())
                : random.nextInt(3) == 0 ? pick(NftOraclePlan.podClients()) : pick(NftOraclePlan.externalClients());
        NftRulesetGenerator.Service svc =
                g.services().get(random.nextInt(g.services().size()));
        String proto = svc.protocol();
        int dst;
        int dport = svc.port();
        switch (random.nextInt(12)) {
            case 0, 1, 2 -> dst = svc.clusterIp();
            case 3 -> {
                dst = svc.clusterIp();
                dport = 9999;
            }
            case 4 -> {
                dst = svc.clusterIp();
                proto = proto.equals("tcp") ? "udp" : "tcp";
            }
            case 5 -> {
                dst = NftOraclePlan.NODE_IP;
                dport = svc.nodePort() != 0 ? svc.nodePort() : 30000 + random.nextInt(8);
            }
            case 6 -> dst = svc.externalIp() != 0 ? svc.externalIp() : pick(NftOraclePlan.externalIps());
            case 7 -> {
                dst = g.extraVips().isEmpty() ? pick(NftOraclePlan.clusterIps()) : pick(g.extraVips());
                proto = "tcp";
                dport = 80;
            }
            case 8 -> {
                dst = pick(NftOraclePlan.pods());
                dport = 8080 + random.nextInt(2);
            }
            case 9 -> dst = pick(NftOraclePlan.remotes());
            case 10 -> {
                dst = random.nextBoolean() ? NftOraclePlan.NODE_IP : NftOraclePlan.NODE_POD_SIDE_IP;
                dport = random.nextBoolean() ? 22 : 10250;
            }
            default -> {
                dst = random.nextBoolean() ? svc.clusterIp() : pick(NftOraclePlan.pods());
                proto = "icmp";
            }
        }
        if (random.nextInt(10) == 0) {
            proto = "icmp";
        }
        int sport = nextPort++;
        Packet p = switch (proto) {
            case "tcp" ->
                Packet.tcp(
                        src,
                        dst,
                        new TcpSegment(
                                sport,
                                dport,
                                1_000_000 + random.nextInt(1 << 20),
                                0,
                                TcpFlags.SYN,
                                64240,
                                0,
                                TcpOptions.syn(1460, 7, true),
                                0));
            case "udp" -> Packet.udp(src, dst, new UdpDatagram(sport, dport, 12));
            default -> Packet.icmp(src, dst, IcmpMessage.echo(IcmpMessage.ECHO_REQUEST, nextIcmpId++, 1, 16));
        };
        return new Probe(p, fromPod);
    }

    private int pick(List<Integer> list) {
        return list.get(random.nextInt(list.size()));
    }
}
