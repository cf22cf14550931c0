package io.kpsim.cli;

import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.replay.NodeConfig;
import io.kpsim.replay.ServiceMapping;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The node options {@code replay} and {@code oracle} share: services, kernel, sysctls, the two
 * fixes and the seed.
 */
final class NodeOptions {

    static final String BE_LIBERAL = "net.netfilter.nf_conntrack_tcp_be_liberal";

    @Option(
            names = "--service",
            paramLabel = "VIP:PORT=EP:PORT[,EP:PORT...]",
            description = "A ClusterIP service and its endpoints (repeatable).")
    List<String> services = new ArrayList<>();

    @Option(names = "--be-liberal", description = "Set net.netfilter.nf_conntrack_tcp_be_liberal=1 (fix 1).")
    boolean beLiberal;

    @Option(
            names = "--drop-invalid",
            description = "Add KUBE-FORWARD's '-m conntrack --ctstate INVALID -j DROP' (fix 2, kubernetes PR 74840).")
    boolean dropInvalid;

    @Option(
            names = "--kernel",
            paramLabel = "KERNEL",
            defaultValue = "6.18",
            description = "Kernel whose conntrack to model: a profile (4.14 ... 6.18, see kpsim kernels) or a uname -r"
                    + " string, mapped to its profile (default: ${DEFAULT-VALUE}).")
    String kernel;

    @Option(
            names = "--sysctl",
            paramLabel = "NAME=VALUE",
            description =
                    "A conntrack sysctl by its real name, e.g. net.netfilter.nf_conntrack_tcp_loose=0 (repeatable).")
    List<String> sysctls = new ArrayList<>();

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed for endpoint and port choice (default: ${DEFAULT-VALUE}).")
    long seed;

    /** Validates every option and builds the node configuration; bad values are one-line errors. */
    /** Says on {@code err} which profile a {@code --kernel} version string maps to. */
    void noteKernel(PrintWriter err) {
        KernelNote.print(kernel, err);
    }

    NodeConfig toConfig() {
        KernelProfile version;
        try {
            version = KernelProfile.parse(kernel);
        } catch (IllegalArgumentException e) {
            throw new UserError("--kernel: " + e.getMessage());
        }
        Sysctls values = Sysctls.defaults(version);
        for (String assignment : sysctls) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new UserError("--sysctl '" + assignment + "': expected NAME=VALUE");
            }
            try {
                values = values.with(
                        assignment.substring(0, eq).trim(),
                        assignment.substring(eq + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new UserError("--sysctl '" + assignment + "': " + e.getMessage());
            }
        }
        if (beLiberal) {
            values = values.with(BE_LIBERAL, "1");
        }
        List<ServiceMapping> parsed = new ArrayList<>();
        for (String s : services) {
            ServiceMapping m = ServiceMapping.parse(s);
            for (ServiceMapping other : parsed) {
                if (other.vip() == m.vip() && other.port() == m.port()) {
                    throw new UserError("--service '" + s + "': " + io.kpsim.packet.Ip4.format(m.vip(), m.port())
                            + " is already defined");
                }
            }
            parsed.add(m);
        }
        return new NodeConfig(parsed, version, values, dropInvalid, seed);
    }
}
