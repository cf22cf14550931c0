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

/**
 * {@code replay} and {@code diagnose} with {@code --nft-ruleset}: a node's {@code nft list ruleset}
 * (here what kube-proxy 1.34's nftables mode writes for the blog's node-a, as {@code kpsim rules}
 * prints it) run by the nftables engine, its services read back from the {@code service-ips} map,
 * and the conflicts and bad files as one-line errors.
 */
class NftRulesetOptionTest {

    private static final Path ROOT = Path.of(System.getProperty("kpsim.root", ".."));
    private static final int CLIENT = Ip4.parse("10.244.1.2");
    private static final int VIP = Ip4.parse("10.96.0.10");
    private static final int POD = Ip4.parse("10.244.2.2");

    @TempDir
    Path dir;

    private Path ruleset(String version) throws IOException {
        Cli rules = Cli.run(
                "rules",
                ROOT.resolve("scenarios/blog-reset.yaml").toString(),
                "--proxy-mode",
                "nftables",
                "--kube-proxy-version",
                version);
        assertEquals(0, rules.exitCode(), rules.err());
        Path file = dir.resolve("node-a-" + version + ".nft");
        Files.writeString(file, rules.out());
        return file;
    }

    private static Packet tcp(int src, int sport, int dst, int dport, int seq, int ack, int flags) {
        TcpOptions options = (flags & TcpFlags.SYN) != 0 ? TcpOptions.syn(1460, 7, true) : TcpOptions.NONE;
        return Packet.tcp(src, dst, new TcpSegment(sport, dport, seq, ack, flags, 64240, 0, options, 0));
    }

    private Path handshake() {
        Path file = dir.resolve("handshake.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(1_000_000_000L, tcp(CLIENT, 40001, VIP, 80, 1000, 0, TcpFlags.SYN));
            w.write(1_001_000_000L, tcp(POD, 8080, CLIENT, 40001, 5000, 1001, TcpFlags.SYN | TcpFlags.ACK));
            w.write(1_002_000_000L, tcp(CLIENT, 40001, VIP, 80, 1001, 5001, TcpFlags.ACK));
        }
        return file;
    }

    @Test
    void replayRunsTheNodesNftRulesetAndFindsItsService() throws IOException {
        for (String version : new String[] {"1.29", "1.30", "1.34"}) {
            Path nft = ruleset(version);
            Cli cli = Cli.run(
                    "replay", "--nft-ruleset", nft.toString(), handshake().toString());
            assertEquals(0, cli.exitCode(), cli.err());
            assertFalse(cli.err().contains("no service found"), cli.err()); // 10.96.0.10:80 read back
            assertTrue(cli.out().contains("10.244.1.2:40001 > 10.244.2.2:8080  DNAT"), version + ":\n" + cli.out());
            assertTrue(cli.out().contains("10.96.0.10:80 > 10.244.1.2:40001  reverse NAT"), cli.out());
        }
    }

    @Test
    void diagnoseAcceptsItAsTheNodesRules() throws IOException {
        Cli cli = Cli.run(
                "diagnose",
                "--nft-ruleset",
                ruleset("1.34").toString(),
                handshake().toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().startsWith("no: "), cli.out());
    }

    @Test
    void diagnoseNamesTheNftablesFixOnAnInvalidReplyReset() throws IOException {
        Path file = dir.resolve("invalid.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(1_000_000_000L, tcp(CLIENT, 40001, VIP, 80, 1000, 0, TcpFlags.SYN));
            w.write(1_001_000_000L, tcp(POD, 8080, CLIENT, 40001, 5000, 1001, TcpFlags.SYN | TcpFlags.ACK));
            w.write(1_002_000_000L, tcp(CLIENT, 40001, VIP, 80, 1001, 5001, TcpFlags.ACK));
            // 100 MB ahead of the window: INVALID, no reverse NAT, and the client resets the pod address
            w.write(1_003_000_000L, tcp(POD, 8080, CLIENT, 40001, 5001 + 100_000_000, 1001, TcpFlags.ACK));
            w.write(1_004_000_000L, tcp(CLIENT, 40001, POD, 8080, 1001, 0, TcpFlags.RST));
        }
        Cli cli = Cli.run("diagnose", "--nft-ruleset", ruleset("1.34").toString(), file.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("invalid-reply-reset"), cli.out());
        assertTrue(cli.out().contains("(ct state invalid drop)"), cli.out());
        assertTrue(cli.out().contains("kube-proxy's nftables mode writes none (kubernetes PR 122663)"), cli.out());
        assertFalse(cli.out().contains("-m conntrack"), cli.out());
    }

    @Test
    void aRulesetWithoutServicesIsAWarning() throws IOException {
        Path nft = dir.resolve("empty.nft");
        Files.writeString(
                nft,
                "table inet filter {\n\tchain forward {\n\t\ttype filter hook forward priority filter;"
                        + " policy accept;\n\t\tct state invalid drop\n\t}\n}\n");
        Cli cli = Cli.run("replay", "--nft-ruleset", nft.toString(), handshake().toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains(nft + ": no service found (no verdict map keyed"), cli.err());
    }

    @Test
    void conflictsAndBadFilesAreOneLineErrors() throws IOException {
        Path nft = ruleset("1.34");
        String capture = handshake().toString();
        Cli both = Cli.run("replay", "--nft-ruleset", nft.toString(), "--iptables-save", nft.toString(), capture);
        assertEquals(2, both.exitCode());
        assertEquals(1, both.errLines().length, both.err());
        assertTrue(both.err().contains("--iptables-save and --nft-ruleset cannot be used together"), both.err());
        Cli service = Cli.run(
                "diagnose", "--nft-ruleset", nft.toString(), "--service", "10.96.0.10:80=10.244.2.2:8080", capture);
        assertEquals(2, service.exitCode());
        assertTrue(service.err().contains("--service cannot be used with --nft-ruleset"), service.err());
        for (String[] iptablesOnly : new String[][] {{"--ipset-save", nft.toString()}, {"--unknown-match", "ignore"}}) {
            Cli mixed = Cli.run("replay", "--nft-ruleset", nft.toString(), iptablesOnly[0], iptablesOnly[1], capture);
            assertEquals(2, mixed.exitCode(), mixed.err());
            assertEquals(1, mixed.errLines().length, mixed.err());
            assertTrue(mixed.err().contains(iptablesOnly[0] + " cannot be used with --nft-ruleset"), mixed.err());
        }
        Cli missing = Cli.run("replay", "--nft-ruleset", dir.resolve("nope.nft").toString(), capture);
        assertEquals(2, missing.exitCode());
        assertTrue(
                missing.err().contains("--nft-ruleset " + dir.resolve("nope.nft") + ": no such file"), missing.err());
        Path bad = dir.resolve("bad.nft");
        Files.writeString(bad, "table ip x {\n\tchain y {\n\t\tbogus\n\t}\n}\n");
        Cli unreadable = Cli.run("replay", "--nft-ruleset", bad.toString(), capture);
        assertEquals(2, unreadable.exitCode());
        assertTrue(
                unreadable.err().contains(bad + ":3:3: unsupported expression or statement 'bogus'"), unreadable.err());
    }
}
