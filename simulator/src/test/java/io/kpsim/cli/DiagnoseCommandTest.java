package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.pcap.PcapWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kpsim diagnose} on small captures written here: each kind of reset the capture can show
 * without a real node (the INVALID-reply reset on real captures is {@link RealCaptureKernelTest}'s),
 * the JSON keys, and every bad input as one line with exit 2.
 */
class DiagnoseCommandTest {

    private static final String SERVICE = "10.96.0.10:80=10.244.2.3:8080";
    private static final int CLIENT = Ip4.parse("10.244.1.2");
    private static final int VIP = Ip4.parse("10.96.0.10");
    private static final int POD = Ip4.parse("10.244.2.3");

    @TempDir
    Path dir;

    private static Packet tcp(int src, int sport, int dst, int dport, int seq, int ack, int flags) {
        TcpOptions options = (flags & TcpFlags.SYN) != 0 ? TcpOptions.syn(1460, 7, true) : TcpOptions.NONE;
        return Packet.tcp(src, dst, new TcpSegment(sport, dport, seq, ack, flags, 64240, 0, options, 0));
    }

    private Path capture(String name, Packet... packets) {
        Path file = dir.resolve(name);
        try (PcapWriter w = PcapWriter.create(file)) {
            long t = 1_000_000_000L;
            for (Packet p : packets) {
                w.write(t, p);
                t += 1_000_000L;
            }
        }
        return file;
    }

    @Test
    void aRefusedConnectionIsAClosedPortReset() {
        Path file = capture(
                "refused.pcap",
                tcp(CLIENT, 40001, VIP, 80, 1000, 0, TcpFlags.SYN),
                tcp(POD, 8080, CLIENT, 40001, 0, 1001, TcpFlags.RST | TcpFlags.ACK));
        Cli cli = Cli.run("diagnose", "--service", SERVICE, file.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(
                cli.out().startsWith("no: no reset here is the conntrack INVALID-reply bug; 1 other reset"), cli.out());
        assertTrue(cli.out().contains("closed-port-reset: 10.244.1.2:40001 > 10.96.0.10:80"), cli.out());
        assertTrue(
                cli.out().contains(file + "#1 at 1.001000000: RST from 10.244.2.3:8080 answering the SYN"), cli.out());
    }

    @Test
    void aResetFromAnEstablishedEndpointIsTheApplications() {
        Path file = capture(
                "app.pcap",
                tcp(CLIENT, 40001, VIP, 80, 1000, 0, TcpFlags.SYN),
                tcp(POD, 8080, CLIENT, 40001, 5000, 1001, TcpFlags.SYN | TcpFlags.ACK),
                tcp(CLIENT, 40001, VIP, 80, 1001, 5001, TcpFlags.ACK),
                tcp(POD, 8080, CLIENT, 40001, 5001, 1001, TcpFlags.RST | TcpFlags.ACK));
        Cli cli = Cli.run("diagnose", "--service", SERVICE, "--format", "json", file.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        String json = cli.out().strip();
        assertTrue(json.contains("\"kind\":\"application-reset\""), json);
        assertTrue(json.contains("\"connection\":\"10.244.1.2:40001 > 10.96.0.10:80\""), json);
        assertTrue(json.contains("\"endpoint\":\"10.244.2.3:8080\""), json);
        for (String key : new String[] {"verdict", "packets", "invalid", "connections", "findings", "explanation"}) {
            assertTrue(json.contains("\"" + key + "\":"), key + " in " + json);
        }
        assertTrue(json.contains("\"packets\":4,\"invalid\":0,\"connections\":1"), json);
        assertEquals(1, json.lines().count(), "one object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.19", "5.10", "6.18"})
    void anOutOfWindowReplyAndTheClientsResetAreTheBugOnEveryKernel(String kernel) {
        // the server's reply 100 MB ahead of anything the client allowed: INVALID on every profile,
        // no reverse NAT, and the client's RST goes to the pod address
        Path file = capture(
                "invalid-" + kernel + ".pcap",
                tcp(CLIENT, 40001, VIP, 80, 1000, 0, TcpFlags.SYN),
                tcp(POD, 8080, CLIENT, 40001, 5000, 1001, TcpFlags.SYN | TcpFlags.ACK),
                tcp(CLIENT, 40001, VIP, 80, 1001, 5001, TcpFlags.ACK),
                tcp(POD, 8080, CLIENT, 40001, 5001 + 100_000_000, 1001, TcpFlags.ACK),
                tcp(CLIENT, 40001, POD, 8080, 1001, 0, TcpFlags.RST));
        Cli cli = Cli.run("diagnose", "--service", SERVICE, "--kernel", kernel, file.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("invalid-reply-reset"), cli.out());
    }

    @Test
    void aLoneResetHasACauseOutsideTheCapture() {
        Path file = capture("lone.pcap", tcp(CLIENT, 40001, POD, 8080, 1000, 0, TcpFlags.RST));
        Cli cli = Cli.run("diagnose", "--service", SERVICE, file.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("unexplained-reset: 10.244.1.2:40001 > 10.244.2.3:8080"), cli.out());
        assertTrue(cli.out().contains("its cause is not in the capture"), cli.out());
    }

    @Test
    void healthyTrafficHasNoFinding() {
        Path file = capture(
                "ok.pcap",
                tcp(CLIENT, 40001, VIP, 80, 1000, 0, TcpFlags.SYN),
                tcp(POD, 8080, CLIENT, 40001, 5000, 1001, TcpFlags.SYN | TcpFlags.ACK),
                tcp(CLIENT, 40001, VIP, 80, 1001, 5001, TcpFlags.ACK));
        Cli cli = Cli.run("diagnose", "--service", SERVICE, file.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(
                "no: no reset here is the conntrack INVALID-reply bug (3 packets, 0 INVALID, 1 connection)\n",
                cli.out());
    }

    @Test
    void withoutRulesItRefusesToAnswer() {
        Path file = capture("ok.pcap", tcp(CLIENT, 40001, VIP, 80, 1000, 0, TcpFlags.SYN));
        Cli cli = Cli.run("diagnose", file.toString());
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(1, cli.errLines().length, cli.err());
        assertTrue(cli.err().contains("diagnose needs the node's rules: give --iptables-save FILE"), cli.err());
        assertEquals("", cli.out());
    }

    @Test
    void aBadCaptureIsOneLine() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a capture\n");
        Cli cli = Cli.run("diagnose", "--service", SERVICE, text.toString());
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(1, cli.errLines().length, cli.err());
        assertTrue(cli.err().contains("notes.txt: not a pcap or pcapng file"), cli.err());
        assertFalse(cli.err().contains("\tat "), "no stack trace");
    }

    @Test
    void theDropInvalidRuleConflictsWithSavedRules() throws IOException {
        Path saved = Files.writeString(dir.resolve("rules.txt"), "*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n");
        Path file = capture("ok.pcap", tcp(CLIENT, 40001, VIP, 80, 1000, 0, TcpFlags.SYN));
        Cli cli = Cli.run("diagnose", "--iptables-save", saved.toString(), "--drop-invalid", file.toString());
        assertEquals(2, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains("--drop-invalid cannot be used with --iptables-save"), cli.err());
    }

    @Test
    void ipsetSaveFeedsTheSetMatchesAndUnknownModulesAreRefusedOrReported() throws IOException {
        Path sets = Files.writeString(
                dir.resolve("sets.txt"),
                "create blocked hash:ip family inet hashsize 1024 maxelem 65536\nadd blocked " + Ip4.format(CLIENT)
                        + "\n");
        String rules = "# Warning: iptables-legacy tables present, use iptables-legacy-save to see them\n"
                + "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + "-A FORWARD -m set --match-set blocked src -j DROP\n"
                + "-A FORWARD -m hashlimit --hashlimit-upto 5/sec --hashlimit-name h -j ACCEPT\n"
                + "COMMIT\n";
        Path saved = Files.writeString(dir.resolve("rules.txt"), rules);
        Path file = capture("ok.pcap", tcp(CLIENT, 40001, VIP, 80, 1000, 0, TcpFlags.SYN));

        Cli noSets = Cli.run("diagnose", "--iptables-save", saved.toString(), file.toString());
        assertEquals(2, noSets.exitCode(), noSets.err());
        assertTrue(
                noSets.err().contains("rules.txt:6: Set blocked doesn't exist (give the node's sets with --ipset-save"),
                noSets.err());

        Cli refused = Cli.run(
                "diagnose", "--iptables-save", saved.toString(), "--ipset-save", sets.toString(), file.toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("rules.txt:7: match module 'hashlimit' is not modelled"), refused.err());

        Cli ignored = Cli.run(
                "replay",
                "--iptables-save",
                saved.toString(),
                "--ipset-save",
                sets.toString(),
                "--unknown-match=ignore",
                file.toString());
        assertEquals(0, ignored.exitCode(), ignored.err());
        assertTrue(ignored.err().contains("rules.txt:1: the node also has iptables-legacy tables"), ignored.err());
        assertTrue(
                ignored.err()
                        .contains("--unknown-match=ignore: filter FORWARD: '-m hashlimit --hashlimit-upto 5/sec"
                                + " --hashlimit-name h' treated as matching every packet"),
                ignored.err());
        assertTrue(ignored.out().contains("DROP"), ignored.out() + ignored.err());

        Path badSets = Files.writeString(dir.resolve("bad.txt"), "create s hash:mac\n");
        Cli bad = Cli.run(
                "diagnose", "--iptables-save", saved.toString(), "--ipset-save", badSets.toString(), file.toString());
        assertEquals(2, bad.exitCode(), bad.err());
        assertEquals(1, bad.errLines().length, bad.err());
        assertTrue(bad.err().contains("bad.txt:1: set s: type hash:mac is not modelled"), bad.err());
    }
}
