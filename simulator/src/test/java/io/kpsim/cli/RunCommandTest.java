package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.PcapReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kpsim run}, {@code validate} and {@code rules} through the command line, as users call them. */
class RunCommandTest {

    /** One command's outcome. */
    record Result(int code, String out, String err) {}

    static Path root() {
        return Path.of(System.getProperty("kpsim.root", "..")).toAbsolutePath().normalize();
    }

    static Path scenario(String name) {
        return root().resolve("scenarios").resolve(name + ".yaml");
    }

    static Result kpsim(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void defaultRunTellsTheBlogStoryAndPasses() {
        String before = System.getProperty("kpsim.home");
        System.setProperty("kpsim.home", root().toString());
        try {
            Result r = kpsim("run");
            assertEquals(0, r.code(), r.err() + r.out());
            assertTrue(r.out().contains("told as the blog's five packets"), r.out());
            for (int n = 1; n <= 5; n++) {
                assertTrue(r.out().contains("\n(" + n + ") "), "packet (" + n + ") missing:\n" + r.out());
            }
            assertTrue(r.out().contains("conntrack on node-b finds it out of window: INVALID"), r.out());
            assertTrue(r.out().contains("at node-a: INVALID again"), r.out());
            assertTrue(r.out().contains("NAT skipped: it reaches pod client with the pod IP 10.244.2.2"), r.out());
            assertTrue(r.out().contains("RFC 9293"), r.out());
            assertTrue(
                    r.out()
                            .contains(
                                    "the RST is INVALID (\"invalid new (not logged by this kernel)\") at node-a but forwarded"),
                    r.out());
            assertTrue(r.out().contains("accepts the RST (sequence exactly at RCV.NXT)"), r.out());
            assertTrue(r.out().contains("client accepts a RST from 10.96.0.10:80 on its socket: curl's"), r.out());
            assertTrue(r.out().contains("PASS: 5 of 5 expectations held"), r.out());
            assertEquals("", r.err());
        } finally {
            if (before == null) {
                System.clearProperty("kpsim.home");
            } else {
                System.setProperty("kpsim.home", before);
            }
        }
    }

    @Test
    void failedExpectationsExitOne() {
        Result r = kpsim("run", scenario("boom-4.19").toString(), "--drop-invalid", "--quiet");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("FAIL resets >= 1 (actual 0)"), r.out());
    }

    @Test
    void quietPrintsTheCountersOnOneLineAndTheFailures() {
        Result r = kpsim("run", scenario("boom-4.19").toString(), "--drop-invalid", "--quiet");
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        Result json = kpsim("run", scenario("boom-4.19").toString(), "--drop-invalid", "--format", "json");
        String packets = json.out().replaceAll("(?s).*\"packets\":([0-9]+),.*", "$1");
        assertTrue(
                lines.get(0)
                        .matches(".*boom-4\\.19\\.yaml: connections [0-9]+, completed [0-9]+, reset 0, INVALID"
                                + " packets [0-9]+ \\(dropped [0-9]+\\), ignored [0-9]+, packets " + packets
                                + ", retransmissions [0-9]+"),
                lines.get(0));
        assertTrue(
                lines.size() > 1 && lines.subList(1, lines.size()).stream().allMatch(l -> l.contains(": FAIL ")),
                r.out());
        assertEquals("", r.err());
    }

    @Test
    void jsonHasTheCountersAndExpectations() {
        Result r = kpsim("run", scenario("boom-4.19").toString(), "--format", "json", "--seed", "7");
        assertEquals(0, r.code(), r.err());
        String json = r.out().trim();
        assertTrue(json.startsWith("{\"scenario\":\"boom-4.19\""), json);
        for (String key : List.of(
                "\"seed\":7",
                "\"kernel\":\"4.19\"",
                "\"connections\":",
                "\"completed\":",
                "\"reset\":",
                "\"invalid\":",
                "\"invalid_dropped\":0",
                "\"packets\":",
                "\"simulated_seconds\":60",
                "\"expectations\":[{\"metric\":\"connections\",\"condition\":\">= 1\",\"actual\":",
                "\"pass\":true",
                "\"passed\":true",
                "\"first_reset\":{\"at_seconds\":2.0000",
                "\"node\":\"node-a\"",
                "\"reason\":\"SEQ is under the lower bound (already ACKed data retransmitted)\"")) {
            assertTrue(json.contains(key), key + " missing in " + json);
        }
        assertEquals(1, r.out().lines().count(), "one JSON object on one line");
    }

    @Test
    void scenarioErrorsAreAllReportedWithPositionsAndExitTwo(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.yaml");
        String yaml = Files.readString(scenario("boom-4.19"))
                .replace("duration: 60s", "duration: 0s")
                .replace("kernel: 4.19", "kernell: 4.19");
        Files.writeString(bad, yaml);
        Result r = kpsim("run", bad.toString());
        assertEquals(2, r.code(), r.out());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.size() >= 2, r.err());
        for (String line : lines) {
            assertTrue(line.matches(java.util.regex.Pattern.quote(bad.toString()) + ":\\d+:\\d+: .+"), line);
        }
        assertTrue(r.err().contains("did you mean 'kernel'?"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());

        Result v = kpsim("validate", scenario("boom-4.19").toString(), bad.toString());
        assertEquals(2, v.code());
        assertTrue(v.out().contains("boom-4.19.yaml: ok (boom-4.19)"), v.out());
        assertEquals(lines, v.err().lines().toList());
    }

    @Test
    void validateAcceptsTheWholeLibrary() throws IOException {
        List<String> args = new ArrayList<>(List.of("validate"));
        try (Stream<Path> files = Files.list(root().resolve("scenarios"))) {
            files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> args.add(p.toString()));
        }
        Result r = kpsim(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals(
                args.size() - 1,
                r.out().lines().filter(l -> l.contains(": ok (")).count(),
                r.out());
    }

    @Test
    void anInjectionThatFindsNoConnectionIsNamed() {
        Result r = kpsim("run", scenario("blog-reset").toString(), "--set", "spec.injections[0].at=900ms");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("why: 1 scripted injection found no open connection to forge on"), r.out());
    }

    @Test
    void aUnameStringSaysWhichProfileModelsIt() {
        Result r = kpsim("run", scenario("boom-4.19").toString(), "--kernel", "4.19.0-26-amd64", "--quiet");
        assertTrue(r.err().startsWith("kpsim: --kernel 4.19.0-26-amd64: "), r.err());
        assertTrue(r.err().contains("4.19"), r.err());
        assertTrue(r.err().contains("backported fixes"), r.err());
        Result label = kpsim("run", scenario("boom-4.19").toString(), "--kernel", "4.19", "--quiet");
        assertFalse(label.err().contains("--kernel"), label.err());
        assertEquals(r.code(), label.code(), "the uname string runs the same profile as its label");
    }

    @Test
    void aUnameStringAsSpecKernelSaysWhichProfileModelsIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("debian.yaml");
        String yaml = Files.readString(scenario("boom-4.19")).replace("kernel: 4.19", "kernel: 4.19.0-26-amd64");
        assertTrue(yaml.contains("kernel: 4.19.0-26-amd64"));
        Files.writeString(file, yaml);
        String note = "kpsim: " + file + ": spec.kernel 4.19.0-26-amd64: ";
        for (String command : List.of("run", "validate", "rules")) {
            List<String> args = new ArrayList<>(List.of(command, file.toString()));
            if (command.equals("run")) {
                args.add("--quiet");
            }
            Result r = kpsim(args.toArray(String[]::new));
            String line =
                    r.err().lines().filter(l -> l.startsWith(note)).findFirst().orElse(null);
            assertTrue(line != null, command + ": " + r.err());
            assertTrue(line.contains("modelled as profile 4.19 (Linux 4.19.255)"), line);
            assertTrue(line.contains("backported fixes"), line);
        }
        Result run = kpsim("run", file.toString(), "--quiet");
        Result label = kpsim("run", scenario("boom-4.19").toString(), "--quiet");
        assertFalse(label.err().contains("spec.kernel"), label.err());
        assertEquals(label.code(), run.code(), "the uname string runs the same profile as its label");
        Result overridden = kpsim("run", file.toString(), "--kernel", "6.18", "--quiet");
        assertFalse(overridden.err().contains("spec.kernel"), "--kernel replaced it: " + overridden.err());
    }

    @Test
    void badOptionValuesAreOneLine() {
        Result r = kpsim("run", scenario("boom-4.19").toString(), "--kernel", "4.9");
        assertEquals(2, r.code());
        assertEquals(
                "kpsim: --kernel: kernel '4.9' is older than the oldest profile (4.14); kpsim models 4.14, 4.19, 5.4,"
                        + " 5.10, 5.15, 6.1, 6.6, 6.12, 6.18",
                r.err().trim());
        Result missing = kpsim("run", "no/such/file.yaml");
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("no/such/file.yaml"), missing.err());
    }

    @Test
    void rulesPrintKubeProxyChainsAndTheDropRuleOnlyWhenAsked() {
        Result plain = kpsim("rules", scenario("blog-reset").toString(), "--node", "node-b");
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.out().contains("*nat"), plain.out());
        assertTrue(plain.out().contains("-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp"), plain.out());
        assertTrue(plain.out().contains("-j DNAT --to-destination 10.244.2.2:8080"), plain.out());
        assertFalse(plain.out().contains("--ctstate INVALID -j DROP"), plain.out());
        Result drop = kpsim("rules", scenario("blog-reset").toString(), "--drop-invalid");
        assertTrue(drop.out().contains("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP"), drop.out());
        Result wrong = kpsim("rules", scenario("blog-reset").toString(), "--node", "node-z");
        assertEquals(2, wrong.code());
        assertEquals(
                "kpsim: --node node-z: " + scenario("blog-reset") + " has no such node (it has node-a, node-b)\n",
                wrong.err());
    }

    @Test
    void pcapCapturesTheClientsRstToThePodIp(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("caps");
        Result r = kpsim("run", scenario("boom-4.19").toString(), "--pcap", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> names;
        try (Stream<Path> files = Files.list(out)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(
                List.of(
                                "node-a.before-nat.pcap",
                                "node-a.after-nat.pcap",
                                "node-a.client.veth.pcap",
                                "node-b.before-nat.pcap",
                                "node-b.after-nat.pcap",
                                "node-b.boom-server.veth.pcap")
                        .stream()
                        .sorted()
                        .toList(),
                names);
        int client = Ip4.parse("10.244.1.2");
        int serverPod = Ip4.parse("10.244.2.2");
        int vip = Ip4.parse("10.96.0.20");
        List<Packet> veth = read(out.resolve("node-a.client.veth.pcap"));
        assertTrue(
                veth.stream().anyMatch(p -> p.srcIp() == client && p.dstIp() == serverPod && rst(p)),
                "the client's RST to the server pod IP is on its veth");
        assertTrue(
                veth.stream().anyMatch(p -> p.srcIp() == client && p.dstIp() == vip),
                "the client talks to the ClusterIP on its veth");
        assertTrue(
                read(out.resolve("node-a.after-nat.pcap")).stream()
                        .anyMatch(p -> p.dstIp() == serverPod && p.srcIp() == client && !rst(p)),
                "after NAT, node-a sends the client's packets to the pod IP");
        assertTrue(
                read(out.resolve("node-b.boom-server.veth.pcap")).stream()
                        .anyMatch(p -> rst(p) && p.dstIp() == serverPod),
                "the RST reaches the server's veth");
    }

    @Test
    void snaplenCutsCapturedFramesAndZeroKeepsThemWhole(@TempDir Path dir) throws IOException {
        for (String snap : new String[] {"128", "0"}) {
            Path out = dir.resolve("s" + snap);
            Result r = kpsim(
                    "run",
                    scenario("blog-reset").toString(),
                    "--pcap",
                    out.toString(),
                    "--snaplen",
                    snap,
                    "--set",
                    "spec.workloads[1].count=1",
                    "--set",
                    "spec.expect={}");
            assertEquals(0, r.code(), r.err());
            int longest = 0;
            int longestOnWire = 0;
            try (PcapReader reader = PcapReader.open(out.resolve("node-a.client.veth.pcap"))) {
                for (CaptureRecord rec : reader) {
                    longest = Math.max(longest, rec.frame().length);
                    longestOnWire = Math.max(longestOnWire, rec.originalLength());
                }
            }
            assertEquals(1514, longestOnWire, "full-size segments on the wire");
            assertEquals(snap.equals("0") ? 1514 : 128, longest);
        }
        Result bad = kpsim(
                "run",
                scenario("boom-4.19").toString(),
                "--pcap",
                dir.resolve("x").toString(),
                "--snaplen",
                "-5");
        assertEquals(2, bad.code());
        assertEquals(
                "kpsim: --snaplen: snap length -5 is out of range (expected 0 for whole frames, or 1..262144"
                        + " bytes)",
                bad.err().trim());
    }

    @Test
    void pcapRefusesToOverwriteUnlessForced(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("node-b.after-nat.pcap"), "precious");
        Result r = kpsim("run", scenario("boom-4.19").toString(), "--pcap", dir.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("refusing to overwrite " + dir.resolve("node-b.after-nat.pcap")), r.err());
        assertTrue(r.err().contains("--force"), r.err());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of("node-b.after-nat.pcap"),
                    files.map(p -> p.getFileName().toString()).toList(),
                    "nothing else was written");
        }
        assertEquals("precious", Files.readString(dir.resolve("node-b.after-nat.pcap")));
        Result forced = kpsim("run", scenario("boom-4.19").toString(), "--pcap", dir.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertFalse(read(dir.resolve("node-b.after-nat.pcap")).isEmpty());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(6, files.count(), "six captures, no temporary files left");
        }
    }

    private static boolean rst(Packet p) {
        return p.protocol() == Protocol.TCP && p.tcp().has(TcpFlags.RST);
    }

    private static List<Packet> read(Path file) {
        List<Packet> packets = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(file)) {
            for (CaptureRecord record : reader) {
                packets.add(record.packet());
            }
        }
        return packets;
    }
}
