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
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code --service} no replayed packet was addressed to is a one-line warning on standard error,
 * in {@code kpsim replay} and in {@code kpsim diagnose} alike (a mistyped VIP or port would
 * otherwise replay silently as unrelated traffic); a service that did match is not named.
 */
class UnusedServiceWarningTest {

    private static final int CLIENT = Ip4.parse("10.244.1.2");
    private static final int VIP = Ip4.parse("10.96.0.10");
    private static final int POD = Ip4.parse("10.244.2.3");
    private static final String USED = "10.96.0.10:80=10.244.2.3:8080";
    private static final String UNUSED = "10.96.0.99:443=10.244.2.9:8443";
    private static final String WARNING = "kpsim: warning: service 10.96.0.99:443 matched no packet in any file";

    @TempDir
    Path dir;

    private Path capture() {
        Path file = dir.resolve("c.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            TcpOptions syn = TcpOptions.syn(1460, 7, true);
            w.write(
                    1_000_000_000L,
                    Packet.tcp(CLIENT, VIP, new TcpSegment(40001, 80, 1000, 0, TcpFlags.SYN, 64240, 0, syn, 0)));
            w.write(
                    1_001_000_000L,
                    Packet.tcp(
                            POD,
                            CLIENT,
                            new TcpSegment(8080, 40001, 5000, 1001, TcpFlags.SYN | TcpFlags.ACK, 64240, 0, syn, 0)));
        }
        return file;
    }

    @Test
    void replayWarnsOncePerUnusedService() {
        Path file = capture();
        Cli cli = Cli.run("replay", "--service", USED, "--service", UNUSED, file.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains(WARNING + "\n"), cli.err());
        assertFalse(cli.err().contains("service 10.96.0.10:80 matched no packet"), cli.err());
        assertEquals(1, cli.err().split("matched no packet", -1).length - 1, cli.err());
    }

    @Test
    void diagnoseWarnsOncePerUnusedService() {
        Path file = capture();
        Cli cli = Cli.run("diagnose", "--service", USED, "--service", UNUSED, file.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains(WARNING + "\n"), cli.err());
        assertFalse(cli.err().contains("service 10.96.0.10:80 matched no packet"), cli.err());
    }

    @Test
    void noWarningWhenEveryServiceMatched() {
        Path file = capture();
        Cli cli = Cli.run("replay", "--service", USED, file.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertFalse(cli.err().contains("matched no packet"), cli.err());
    }
}
