package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.ConnSnapshot;
import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.netfilter.IptablesRestore;
import io.kpsim.netfilter.NetInterface;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.PathResult;
import io.kpsim.netfilter.Route;
import io.kpsim.netfilter.UnknownModules;
import io.kpsim.netfilter.ipset.IpSets;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.UdpDatagram;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code -j CT --zone} against the real kernel: in a throw-away namespace, a raw-table rule puts
 * one-byte UDP datagrams in zone 7; two datagrams from one socket (the same tuples), of one and
 * two bytes, make two entries that {@code conntrack -L} lists side by side, one with
 * {@code zone=7}. kpsim, given the same rules and datagrams, lists the same two entries.
 */
class ConntrackZoneKernelTest {

    private static final String RULES = "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            + "-A OUTPUT -p udp -m udp --dport 9999 -m length --length 29 -j CT --zone 7\nCOMMIT\n"
            // no port-unreachable error, which would fail the socket's second send
            + "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            + "-A INPUT -p udp -m udp --dport 9999 -j DROP\nCOMMIT\n";
    /** {@code "udp      17 29 "}: the protocol, its number and the seconds left ({@code "%-8s %u %u "}). */
    private static final Pattern SECONDS = Pattern.compile("^([a-z]+ +\\d+ )(\\d+)");

    private static final Pattern SPORT = Pattern.compile("^udp .* sport=(\\d+) dport=9999 ");

    @BeforeAll
    static void machine() {
        String problems = OracleMachineCheck.summary();
        Assumptions.assumeTrue(problems == null, problems);
        for (String tool : List.of("iptables-restore", "conntrack", "bash")) {
            Commands.Result r = Commands.exec(List.of("sh", "-c", "command -v " + tool));
            Assumptions.assumeTrue(r.ok(), "needs '" + tool + "' on PATH");
        }
    }

    @Test
    void twoFlowsWithTheSameTuplesInTwoZonesAreTwoEntriesInBoth() {
        String ns = "kpsim-zone-" + ProcessHandle.current().pid();
        List<String> kernel = new ArrayList<>();
        Commands.run(List.of("ip", "netns", "add", ns));
        try {
            Commands.inNetns(ns, "ip", "link", "set", "lo", "up");
            Commands.inNetns(ns, "sh", "-c", "printf '%s' \"$0\" | iptables-restore", RULES);
            // one socket, so one source port: a datagram of 1 byte (IP length 29), then one of 2
            Commands.inNetns(
                    ns, "bash", "-c", "exec 3<>/dev/udp/127.0.0.1/9999; printf x >&3; printf xy >&3; exec 3>&-");
            for (String line :
                    Commands.inNetns(ns, "conntrack", "-L", "-p", "udp").split("\n")) {
                if (line.contains("dport=9999")) {
                    kernel.add(line);
                }
            }
        } finally {
            Commands.exec(List.of("ip", "netns", "del", ns));
        }
        assertEquals(2, kernel.size(), "the kernel's two entries: " + kernel);
        assertTrue(kernel.stream().anyMatch(l -> l.contains(" zone=7 ")), String.join("\n", kernel));
        Matcher m = SPORT.matcher(kernel.get(0));
        assertTrue(m.find(), kernel.get(0));
        int sport = Integer.parseInt(m.group(1));

        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1);
        NodeDatapath node = new NodeDatapath(
                ct,
                IptablesRestore.parse(RULES, IpSets.NONE, UnknownModules.REFUSE),
                List.of(new NetInterface("eth0", Ip4.parse("192.0.2.1"))),
                List.of(new Route(Cidr.parse("0.0.0.0/0"), "eth0")),
                1);
        int lo = Ip4.parse("127.0.0.1");
        for (int payload = 1; payload <= 2; payload++) {
            PathResult r = node.send(Packet.udp(lo, lo, new UdpDatagram(sport, 9999, payload)), 1_000_000_000L);
            assertTrue(r.accepted(), r.narrative());
        }
        List<String> model = new ArrayList<>();
        for (ConnSnapshot s : ct.list(1_000_000_000L)) {
            model.add(s.conntrackLine());
        }
        assertEquals(normalized(kernel), normalized(model));
    }

    /** Sorted, with the seconds left replaced (the kernel's clock ran on); spacing compared exactly. */
    private static List<String> normalized(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = SECONDS.matcher(l);
            assertTrue(m.find(), "no 'protocol number seconds' at the start of: " + l);
            out.add(m.group(1) + "T" + l.substring(m.end(2)));
        }
        out.sort(null);
        return out;
    }
}
