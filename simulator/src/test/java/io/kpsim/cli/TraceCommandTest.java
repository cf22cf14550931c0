package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code kpsim trace} as a user runs it: both inputs, both formats, and a one-line error for each bad option. */
class TraceCommandTest {

    private static final String RULES = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :KUBE-SVC-X - [0:0]
            -A PREROUTING -d 172.30.0.44/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-X
            -A KUBE-SVC-X -m statistic --mode random --probability 0.50000000000 -p tcp -j DNAT --to-destination 10.180.0.4:80
            -A KUBE-SVC-X -p tcp -j DNAT --to-destination 10.180.0.5:80
            COMMIT
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A FORWARD -d 172.30.0.46/32 -p tcp -m tcp --dport 80 -j REJECT
            COMMIT
            """;

    private static final String SCENARIO = "../scenarios/blog-reset.yaml";

    @TempDir
    Path dir;

    private String rules() throws IOException {
        Path f = dir.resolve("node.rules");
        Files.writeString(f, RULES);
        return f.toString();
    }

    @Test
    void textListsEachBranchInTraceWords() throws IOException {
        Cli r = Cli.run(
                "trace",
                "--iptables-save",
                rules(),
                "--node-ip",
                "192.168.0.2",
                "--src",
                "10.0.0.2:40000",
                "--dst",
                "172.30.0.44:80");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("outcome 1 of 2 (50%): ACCEPT, DNAT to 10.180.0.4:80, out eth0"), r.out());
        assertTrue(r.out().contains("outcome 2 of 2 (50%): ACCEPT, DNAT to 10.180.0.5:80, out eth0"), r.out());
        assertTrue(r.out().contains("nat:PREROUTING:rule:1"), r.out());
        assertTrue(r.out().contains("nat:KUBE-SVC-X:rule:2"), r.out());
        assertTrue(r.out().contains("dnat: 10.180.0.4:80 (50%), 10.180.0.5:80 (50%)\n"), r.out());
        assertTrue(r.out().contains("verdict: ACCEPT\n"), r.out());
    }

    @Test
    void jsonHasTheIssuesFields() throws IOException {
        Cli r = Cli.run(
                "trace",
                "--iptables-save",
                rules(),
                "--src",
                "10.0.0.2:40000",
                "--dst",
                "172.30.0.46:80",
                "--format",
                "json");
        assertEquals(0, r.exitCode(), r.err());
        String j = r.out();
        assertTrue(j.contains("\"verdict\":\"REJECT\""), j);
        assertTrue(j.contains("\"dnat\":[]"), j);
        assertTrue(j.contains("\"masquerade\":false"), j);
        assertTrue(j.contains("\"snat\":null"), j);
        assertTrue(j.contains("\"local\":false"), j);
        assertTrue(j.contains("\"reject_with\":\"icmp-port-unreachable\""), j);
        assertTrue(j.contains("\"trace\":\"filter:FORWARD:rule:1\""), j);
        assertTrue(j.contains("\"outcomes\":[{\"probability\":1.0,"), j);
        assertTrue(j.startsWith("{") && j.endsWith("}\n"), j);
    }

    @Test
    void aScenarioNodeIsTraced() {
        Cli r = Cli.run("trace", SCENARIO, "--src", "10.244.1.2", "--dst", "10.96.0.10:80");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("ACCEPT, DNAT to 10.244.2.2:8080, out eth1"), r.out());
        assertTrue(r.out().contains(", in cni0\n"), r.out());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--src 1.2.3 --dst 10.96.0.10:80|--src '1.2.3': '1.2.3' is not an IPv4 address",
                "--src 10.244.1.2 --dst 10.96.0.10|--dst '10.96.0.10': a tcp packet needs a destination port (IP:PORT)",
                "--src 10.244.1.2 --dst 10.96.0.10:0|--dst '10.96.0.10:0': port '0' is not 1..65535",
                "--src 10.244.1.2 --dst 10.96.0.10:80 --proto sctp|--proto 'sctp': expected tcp, udp or icmp",
                "--src 10.244.1.2 --dst 10.96.0.10:80 --tcp-flags SYN,FOO|--tcp-flags 'SYN,FOO': unknown flag 'FOO'"
                        + " (expected SYN, ACK, FIN, RST, PSH, URG, ECE, CWR or NONE, comma-separated)",
                "--src 10.244.1.2 --dst 10.96.0.10:53 --proto udp --tcp-flags SYN|--tcp-flags: the packet is udp, not"
                        + " tcp",
                "--src 10.244.1.2 --dst 10.96.0.10:80 --ttl 256|--ttl 256: expected 0..255",
                "--src 10.244.1.2 --dst 10.96.0.10:80 --length 39|--length 39: a tcp packet without options is 40 to"
                        + " 65535 bytes",
                "--src 10.244.1.2 --dst 10.96.0.10:80 --mark 0x1ffffffff|--mark '0x1ffffffff': expected a 32-bit value,"
                        + " decimal or 0x hex",
                "--src 10.244.1.2 --dst 10.96.0.10:80 --ctstate SYN_SENT|--ctstate 'SYN_SENT': expected NEW,"
                        + " ESTABLISHED, RELATED or INVALID",
                "--src 10.244.1.2 --dst 10.96.0.10:80 --format xml|--format 'xml': expected text or json",
                "../scenarios/blog-reset.yaml --src 10.244.1.2 --dst 10.96.0.10:80 --node zz|--node zz:"
                        + " ../scenarios/blog-reset.yaml has no such node"
                        + " (it has node-a, node-b)",
                "--src 10.244.1.2 --dst 10.96.0.10:80 --node-ip 1.1.1.1|--node-ip is for --iptables-save; a scenario's"
                        + " node has its own addresses",
                "../scenarios/blog-reset.yaml --src 10.244.1.2 --dst 10.96.0.10:80 --in-interface foo|--in-interface 'foo': node node-a has no such"
                        + " device (it has cni0, eth1, lo)",
                "--iptables-save /nonexistent/x --src 10.0.0.1 --dst 10.0.0.2:80|--iptables-save /nonexistent/x: no such"
                        + " file",
                "--src 10.0.0.1:80 --dst 10.0.0.2 --proto icmp|--src '10.0.0.1:80': an icmp packet has no ports",
                "--src 10.0.0.1 --dst 10.0.0.2:80 --ipset-save ../src/docs/trace/calico.ipset-save|--ipset-save needs"
                        + " --iptables-save: the sets are named by the node's saved rules",
                "--src 10.0.0.1 --dst 10.0.0.2:80 --unknown-match ignore|--unknown-match needs --iptables-save",
                "--iptables-save ../src/docs/trace/calico.iptables-save --src 10.0.0.1 --dst 10.0.0.2:80|"
                        + "../src/docs/trace/calico.iptables-save:20: Set cali40s:Yf0UzvbEnUsnQEuD3GZqXsE doesn't"
                        + " exist (give the node's sets with --ipset-save FILE)",
                "--iptables-save ../src/docs/trace/calico.iptables-save --ipset-save /nonexistent/s --src 10.0.0.1"
                        + " --dst 10.0.0.2:80|--ipset-save /nonexistent/s: no such file"
            })
    void badOptionsAreOneLineErrors(String args, String message) {
        Cli r = Cli.run(("trace " + args).split(" "));
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertEquals("kpsim: " + message, r.errLines()[0]);
        assertEquals("", r.out());
    }

    @Test
    void aNodeIpOnTheCommandLineMustBeAnAddress() throws IOException {
        Cli r = Cli.run(
                "trace",
                "--iptables-save",
                rules(),
                "--node-ip",
                "192.168.0",
                "--src",
                "10.0.0.2",
                "--dst",
                "172.30.0.44:80");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertEquals("kpsim: --node-ip '192.168.0': not an IPv4 address", r.errLines()[0]);
    }
}
