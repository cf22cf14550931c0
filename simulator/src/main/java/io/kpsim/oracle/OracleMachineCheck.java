package io.kpsim.oracle;

import io.kpsim.conntrack.profile.KernelChoice;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.pcap.LiveInterface;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Says exactly what is missing when the kernel oracle cannot run here, one line per problem:
 * not root, no {@code ip netns}, no {@code iptables}/{@code iptables-restore}/{@code conntrack}
 * binaries, no libpcap, no {@code nfnetlink_log}, a namespace that cannot be created, a kernel
 * other than the one the oracle verifies.
 *
 * <p>Why: the differential test skips itself with these lines (JUnit assumptions), and
 * {@code kpsim oracle} prints them and exits 2, instead of failing halfway through a topology.
 */
public final class OracleMachineCheck {

    private OracleMachineCheck() {}

    /** Every problem found, in check order; empty when the oracle can run. */
    public static List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!isRoot()) {
            problems.add("not running as root (uid 0): network namespaces and iptables need root");
        }
        String release = kernelRelease();
        KernelProfile runs = runningProfile();
        if (runs == null) {
            problems.add("running kernel is " + release + ", which maps to no kernel profile");
        }
        for (String tool : List.of("ip", "iptables", "iptables-restore", "conntrack", "sysctl")) {
            if (!onPath(tool)) {
                problems.add("'" + tool + "' not found on PATH (Debian: " + packageOf(tool) + ")");
            }
        }
        try {
            LiveInterface.libraryVersion();
        } catch (IllegalStateException e) {
            problems.add(e.getMessage() + " (Debian: libpcap0.8)");
        }
        try {
            String loggers = Files.readString(Path.of("/proc/net/netfilter/nf_log"));
            if (!loggers.contains("nfnetlink_log")) {
                problems.add("kernel has no nfnetlink_log logger (/proc/net/netfilter/nf_log);"
                        + " conntrack reasons cannot be read");
            }
        } catch (IOException e) {
            problems.add("cannot read /proc/net/netfilter/nf_log: netfilter logging is unavailable");
        }
        if (problems.isEmpty()) {
            String probe = "kps-check-" + ProcessHandle.current().pid();
            Commands.Result add = Commands.exec(List.of("ip", "netns", "add", probe));
            if (!add.ok()) {
                problems.add("cannot create a network namespace ('ip netns add'): " + add.firstErrorLine());
            } else {
                Commands.Result rules =
                        Commands.exec(List.of("ip", "netns", "exec", probe, "iptables", "-t", "nat", "-S"));
                if (!rules.ok()) {
                    problems.add("iptables cannot work in a new namespace: " + rules.firstErrorLine());
                }
                Commands.exec(List.of("ip", "netns", "delete", probe));
            }
        }
        return problems;
    }

    /** All problems in one message, or {@code null} when the oracle can run. */
    public static String summary() {
        List<String> p = problems();
        return p.isEmpty() ? null : "the kernel oracle cannot run here: " + String.join("; ", p);
    }

    /**
     * The profile of the running kernel ({@code uname -r} mapped by {@link KernelChoice#resolve}: on
     * these machines 6.18), or {@code null} when it maps to none (older than 4.14, unreadable).
     */
    public static KernelProfile runningProfile() {
        try {
            return KernelChoice.resolve(kernelRelease()).profile();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The running kernel's release, e.g. {@code 6.18.44}. */
    public static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return "unknown (no /proc/sys/kernel/osrelease)";
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.split("\\s+");
                    return f.length > 2 && f[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String packageOf(String tool) {
        return switch (tool) {
            case "ip" -> "iproute2";
            case "iptables", "iptables-restore" -> "iptables";
            case "conntrack" -> "conntrack";
            default -> "procps";
        };
    }
}
