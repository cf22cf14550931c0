package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kpsim's {@code iptables-save} text against the real one: each ruleset is loaded with
 * {@code iptables-restore} into a network namespace of its own (named with the pid, deleted
 * afterwards), printed back with {@code iptables-save}, and compared byte for byte, comment lines
 * (with their time stamps) aside, with what kpsim prints for the same input. Skips, naming what is
 * missing, without root, {@code ip netns} or iptables.
 */
class IptablesSaveKernelTest {

    private static int counter;

    static List<String> rulesets() {
        String filterHead = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n";
        String natHead = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + ":POSTROUTING ACCEPT [0:0]\n";
        return List.of(
                filterHead
                        + ":KUBE-SERVICES - [0:0]\n"
                        + "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\""
                        + " -j KUBE-SERVICES\n"
                        + "-A KUBE-SERVICES -d 172.30.1.5/32 -p tcp -m comment"
                        + " --comment \"ns/svc:p has no endpoints\" -m tcp --dport 80 -j REJECT"
                        + " --reject-with icmp-port-unreachable\n"
                        + "COMMIT\n",
                filterHead
                        + "-A INPUT -p tcp -m tcp --dport 22 -j REJECT\n"
                        + "-A INPUT -p tcp -j REJECT --reject-with tcp-rst\n"
                        + "-A INPUT -p udp -j REJECT --reject-with net-unreach\n"
                        + "-A INPUT -j REJECT --reject-with icmp-host-unreachable\n"
                        + "-A INPUT -j REJECT --reject-with proto-unreach\n"
                        + "-A FORWARD -j REJECT --reject-with icmp-net-prohibited\n"
                        + "-A FORWARD -j REJECT --reject-with host-prohib\n"
                        + "-A OUTPUT -j REJECT --reject-with icmp-admin-prohibited\n"
                        + "COMMIT\n",
                filterHead
                        + "-A INPUT -p tcp -m multiport --dports 80,443:445 -j ACCEPT\n"
                        + "-A INPUT -p udp -m multiport ! --sports 53,123 -j DROP\n"
                        + "-A INPUT -p tcp -m multiport --source-ports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15 -j DROP\n"
                        + "-A FORWARD -p tcp -m multiport ! --ports 7000:7010 -j REJECT --reject-with tcp-reset\n"
                        + "COMMIT\n",
                natHead
                        + "-A POSTROUTING -s 10.0.0.0/24 -o eth1 -p tcp -j SNAT --to-source 10.1.0.99:20000-20010"
                        + " --random-fully\n"
                        + "-A POSTROUTING -s 10.0.0.0/24 -o eth1 -j SNAT --to-source 10.1.0.98\n"
                        + "-A POSTROUTING -p udp -j SNAT --to-source 10.1.0.97:53\n"
                        + "-A INPUT -d 10.1.0.1/32 -j SNAT --to-source 10.1.0.96\n"
                        + "-A PREROUTING -d 10.244.1.5/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 15001\n"
                        + "-A PREROUTING -d 10.244.1.6/32 -p udp -j REDIRECT\n"
                        + "-A OUTPUT -d 10.96.0.10/32 -p tcp -j REDIRECT --to-ports 15001-15002\n"
                        + "COMMIT\n",
                filterHead
                        + "-A INPUT -p icmp -m icmp --icmp-type echo-request -j ACCEPT\n"
                        + "-A INPUT -p icmp --icmp-type 3/4 -j ACCEPT\n"
                        + "-A INPUT -p icmp -m icmp ! --icmp-type any -j DROP\n"
                        + "-A INPUT -p icmp --icmp-type port-unreachable -j DROP\n"
                        + "-A INPUT -p icmp --icmp-type destination-unreachable -j DROP\n"
                        + "-A INPUT -p icmp --icmp-type 8/0 -j DROP\n"
                        + "-A INPUT -p icmp -m icmp --icmp-type ttl-zero-during-reassembly -j DROP\n"
                        + "COMMIT\n");
    }

    @ParameterizedTest
    @MethodSource("rulesets")
    void kpsimSavesWhatTheKernelSaves(String input) throws IOException {
        String name = namespace();
        try {
            Path file = Files.createTempFile("kpsim-iptables-", ".rules");
            try {
                Files.writeString(file, input, StandardCharsets.UTF_8);
                Result load = exec(List.of("ip", "netns", "exec", name, "iptables-restore", file.toString()));
                assertEquals(0, load.code, "iptables-restore refused the input: " + load.output);
            } finally {
                Files.deleteIfExists(file);
            }
            Result save = exec(List.of("ip", "netns", "exec", name, "iptables-save"));
            assertEquals(0, save.code, save.output);
            assertEquals(
                    withoutComments(save.output), IptablesRestore.parse(input).save());
        } finally {
            exec(List.of("ip", "netns", "delete", name));
        }
    }

    private static String withoutComments(String save) {
        StringBuilder b = new StringBuilder();
        for (String line : save.split("\n", -1)) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    private static String namespace() {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root (uid 0) for network namespaces");
        }
        for (String tool : List.of("ip", "iptables-restore", "iptables-save")) {
            if (exec(List.of("sh", "-c", "command -v " + tool)).code != 0) {
                missing.add("'" + tool + "' on PATH (Debian: " + (tool.equals("ip") ? "iproute2" : "iptables") + ")");
            }
        }
        assumeTrue(missing.isEmpty(), "needs " + String.join(", ", missing));
        String name;
        synchronized (IptablesSaveKernelTest.class) {
            name = "kpi" + ProcessHandle.current().pid() + "x" + (++counter);
        }
        Result add = exec(List.of("ip", "netns", "add", name));
        assumeTrue(add.code == 0, "needs 'ip netns add' to work: " + add.output.strip());
        return name;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private record Result(int code, String output) {}

    private static Result exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
