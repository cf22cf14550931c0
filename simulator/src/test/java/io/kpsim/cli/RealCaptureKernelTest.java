package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.replay.CaptureCensus;
import io.kpsim.replay.NodeConfig;
import io.kpsim.replay.ReplayOptions;
import io.kpsim.replay.Replayer;
import io.kpsim.replay.SavedRules;
import io.kpsim.replay.ServiceMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures from a real node ({@link NodeLab}: namespaces on this machine's kernel, kube-proxy's rules
 * loaded with {@code iptables-restore}, real TCP downloads through a ClusterIP), taken as a user
 * would: {@code tcpdump -i any} and {@code tcpdump -i eth0} on the node, and the node's
 * {@code iptables-save}. kpsim replays them with the saved rules and must count exactly the INVALID
 * packets the node's kernel counted ({@code /proc/net/stat/nf_conntrack}), agree with every copy
 * the node sent, and {@code kpsim diagnose} must find the blog's reset exactly where the kernel
 * caused one. Skipped, with what is missing, where the machine is not root or has no namespaces.
 */
class RealCaptureKernelTest {

    private static final int FILE_SIZE = 256 * 1024;

    @TempDir
    Path dir;

    @BeforeAll
    static void machine() {
        String missing = NodeLab.unavailable();
        Assumptions.assumeTrue(missing == null, "real-node captures cannot be taken here: " + missing);
    }

    /** The rules kube-proxy writes for the service on both server pods (kpsim's generator, as iptables-save text). */
    private static String kubeProxyRules(int endpoints, boolean dropInvalid) {
        StringBuilder service = new StringBuilder(NodeLab.VIP + ":80=");
        for (int i = 0; i < endpoints; i++) {
            service.append(i == 0 ? "" : ",")
                    .append(NodeLab.SERVERS.get(i))
                    .append(':')
                    .append(NodeLab.SERVER_PORT);
        }
        NodeConfig config = new NodeConfig(
                List.of(ServiceMapping.parse(service.toString())),
                KernelProfile.V6_18,
                Sysctls.defaults(KernelProfile.V6_18),
                dropInvalid,
                1);
        return new Replayer(config, false).rulesText();
    }

    /** One lab run: what the kernel counted, the two captures, the node's saved rules, the downloads. */
    record Run(
            long kernelInvalid,
            Path any,
            Path eth0,
            Path saved,
            List<String> downloads,
            int serverResets,
            String notes) {}

    private Run run(String tag, int endpoints, boolean dropInvalid, List<String> sysctls, int downloads, boolean forge)
            throws IOException {
        try (NodeLab lab = new NodeLab(tag, kubeProxyRules(endpoints, dropInvalid), sysctls)) {
            lab.startServers(FILE_SIZE);
            Path any = dir.resolve(tag + "-any.pcap");
            Path eth0 = dir.resolve(tag + "-eth0.pcap");
            lab.capture("any", any);
            lab.capture("eth0", eth0);
            List<String> results = new ArrayList<>();
            for (int i = 0; i < downloads; i++) {
                if (forge && i == downloads - 1) {
                    lab.forgeNext.set(true);
                }
                results.add(lab.download());
            }
            List<String> said = lab.stopCaptures();
            for (String words : said) {
                assertTrue(
                        ("\n" + words).contains("\n0 packets dropped by kernel"),
                        "the kernel dropped packets: " + words);
            }
            Path saved = Files.writeString(dir.resolve(tag + "-iptables-save.txt"), lab.iptablesSave());
            return new Run(
                    lab.kernelInvalid(),
                    any,
                    eth0,
                    saved,
                    results,
                    lab.serverResets.get(),
                    said + " forged: " + lab.forged.get());
        }
    }

    /** kpsim's replay of one capture with the node's saved rules: INVALID packets and disagreements. */
    private record Replayed(long invalid, CaptureCensus census) {}

    private static Replayed replay(Path capture, Path saved, List<String> sysctls) {
        Sysctls s = Sysctls.defaults(KernelProfile.V6_18);
        for (String a : sysctls) {
            s = s.withAssignment(a);
        }
        NodeConfig config = new NodeConfig(List.of(), KernelProfile.V6_18, s, false, 1);
        Replayer replayer = new Replayer(config, new ReplayOptions(false, null, -1, SavedRules.read(saved)));
        long[] invalid = new long[1];
        CaptureCensus census = replayer.replay(capture, capture.toString(), step -> {
            if (step.record().ctstate() == CtState.INVALID) {
                invalid[0]++;
            }
        });
        return new Replayed(invalid[0], census);
    }

    /**
     * kpsim diagnose's findings on each capture, as {@code kind connection} lines: the same on both
     * captures, and exactly {@code expected} (kinds in capture order).
     */
    private static void assertDiagnosis(Run run, List<String> sysctls, List<String> expected) {
        for (Path capture : List.of(run.any(), run.eth0())) {
            List<String> args = new ArrayList<>(
                    List.of("diagnose", "--iptables-save", run.saved().toString()));
            for (String s : sysctls) {
                args.addAll(List.of("--sysctl", s));
            }
            args.addAll(List.of("--format", "json", capture.toString()));
            Cli cli = Cli.run(args.toArray(String[]::new));
            assertEquals(0, cli.exitCode(), cli.err());
            List<String> kinds = new ArrayList<>();
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("\"kind\":\"([a-z-]+)\"").matcher(cli.out());
            while (m.find()) {
                kinds.add(m.group(1));
            }
            assertEquals(expected, kinds, capture.getFileName() + ": " + cli.out());
            assertTrue(cli.out().contains("\"invalid\":" + run.kernelInvalid() + ","), cli.out());
        }
    }

    private static void assertSameAsKernel(Run run, List<String> sysctls) {
        for (Path capture : List.of(run.any(), run.eth0())) {
            Replayed r = replay(capture, run.saved(), sysctls);
            String what = capture.getFileName() + " (" + r.census().classification() + ") " + run.notes();
            assertEquals(run.kernelInvalid(), r.invalid(), what + ": INVALID packets, kpsim vs the node's kernel");
            assertEquals(0, r.census().disagreements(), what + ": " + r.census().warnings());
            assertTrue(r.census().agreements() > 0, what + ": the node's copies were compared");
        }
    }

    @Test
    void healthyDownloadsThroughOneEndpoint() throws IOException {
        Run run = run("h1", 1, false, List.of(), 3, false);
        String whole = "received " + NodeLab.responseBytes(FILE_SIZE);
        assertEquals(List.of(whole, whole, whole), run.downloads());
        assertEquals(0, run.kernelInvalid(), "healthy downloads: the kernel counts no INVALID packet");
        assertSameAsKernel(run, List.of());
        assertDiagnosis(run, List.of(), List.of());
    }

    @Test
    void healthyDownloadsThroughTwoEndpoints() throws IOException {
        Run run = run("h2", 2, false, List.of(), 6, false);
        String whole = "received " + NodeLab.responseBytes(FILE_SIZE);
        assertEquals(List.of(whole, whole, whole, whole, whole, whole), run.downloads());
        assertEquals(0, run.kernelInvalid());
        assertSameAsKernel(run, List.of());
        assertDiagnosis(run, List.of(), List.of());
    }

    @Test
    void theBlogsResetOnTheRealKernel() throws IOException {
        Run run = run("rs", 1, false, List.of(), 2, true);
        assertEquals(
                "received " + NodeLab.responseBytes(FILE_SIZE), run.downloads().get(0));
        assertTrue(run.downloads().get(1).startsWith("failed"), "the forged segment kills the download: " + run);
        assertEquals(1, run.serverResets(), "the client's RST reached the server and reset its connection: " + run);
        assertTrue(run.kernelInvalid() > 0, "the kernel marked the forged segment INVALID");
        assertSameAsKernel(run, List.of());
        assertDiagnosis(run, List.of(), List.of("invalid-reply-reset"));
    }

    @Test
    void beLiberalKeepsTheConnection() throws IOException {
        List<String> liberal = List.of("net.netfilter.nf_conntrack_tcp_be_liberal=1");
        Run run = run("bl", 1, false, liberal, 2, true);
        assertEquals(
                "received " + NodeLab.responseBytes(FILE_SIZE), run.downloads().get(1), run.toString());
        assertEquals(0, run.kernelInvalid());
        assertSameAsKernel(run, liberal);
        assertDiagnosis(run, liberal, List.of());
    }

    @Test
    void theInvalidDropRuleKeepsTheConnection() throws IOException {
        Run run = run("dr", 1, true, List.of(), 2, true);
        assertEquals(
                "received " + NodeLab.responseBytes(FILE_SIZE), run.downloads().get(1), run.toString());
        assertEquals(1, run.kernelInvalid(), "only the forged segment");
        assertSameAsKernel(run, List.of());
        assertDiagnosis(run, List.of(), List.of("prevented-reset"));
    }
}
