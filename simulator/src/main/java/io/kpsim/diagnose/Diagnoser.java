package io.kpsim.diagnose;

import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.replay.CaptureCensus;
import io.kpsim.replay.NodeConfig;
import io.kpsim.replay.ReplayOptions;
import io.kpsim.replay.Replayer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code kpsim diagnose}: replays the captures as {@code kpsim replay} does ({@link Replayer}),
 * finds every reset ({@link ResetFinder}), and for each INVALID-reply reset checks the fixes by
 * replaying the captures again with each one: {@code nf_conntrack_tcp_be_liberal=1}, kube-proxy's
 * INVALID drop rule (kubernetes PR 74840; when the rules are generated from {@code --service}),
 * and Linux 6.18 (6.1 and later ignore a reply under the window's lower bound instead of marking
 * it INVALID, see reference/kernel-conntrack.md section 7). A fix prevents the reset when the
 * replay with it shows no INVALID-reply reset on that connection.
 */
public final class Diagnoser {

    private static final String BE_LIBERAL = "net.netfilter.nf_conntrack_tcp_be_liberal";

    private final NodeConfig config;
    private final ReplayOptions options;

    /** A diagnoser for one node and one way of reading captures. */
    public Diagnoser(NodeConfig config, ReplayOptions options) {
        this.config = config;
        this.options = options;
    }

    /**
     * Diagnoses the files, each replayed from an empty conntrack table.
     *
     * @param census receives each file's classification, in file order
     * @throws io.kpsim.pcap.CaptureException one line naming the file and record on bad input
     */
    public CaptureDiagnosis diagnose(List<Path> files, Consumer<CaptureCensus> census) {
        Replayer replayer = new Replayer(config, options);
        List<Finding> findings = new ArrayList<>();
        long packets = 0;
        long invalid = 0;
        long connections = 0;
        long disagreements = 0;
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            ResetFinder finder = new ResetFinder();
            census.accept(replayer.replay(file, file.toString(), finder));
            names.add(file.toString());
            findings.addAll(finder.findings());
            packets += finder.packets();
            invalid += finder.invalid();
            connections += finder.connections();
            disagreements += finder.disagreements();
        }
        if (findings.stream().anyMatch(f -> f.kind() == FindingKind.INVALID_REPLY_RESET)) {
            findings = withFixes(files, findings);
        }
        return new CaptureDiagnosis(names, packets, invalid, connections, disagreements, findings);
    }

    /**
     * The user's sysctls on another kernel: that kernel's defaults with every value the user's
     * kernel also has there carried over (a sysctl the other kernel lacks is left out, as on a node
     * upgraded with the same sysctl.conf).
     */
    private static Sysctls carriedTo(KernelProfile kernel, Sysctls user) {
        Sysctls moved = Sysctls.defaults(kernel);
        Map<String, Long> known = moved.asMap();
        for (Map.Entry<String, Long> e : user.asMap().entrySet()) {
            if (known.containsKey(e.getKey())) {
                moved = moved.with(e.getKey(), Long.toString(e.getValue()));
            }
        }
        return moved;
    }

    /** The findings, each INVALID-reply reset with the fixes checked by replaying again. */
    private List<Finding> withFixes(List<Path> files, List<Finding> findings) {
        Set<String> liberal = config.beLiberal()
                ? null
                : resetConnections(
                        files,
                        new NodeConfig(
                                config.services(),
                                config.kernel(),
                                config.sysctls().with(BE_LIBERAL, "1"),
                                config.dropInvalid(),
                                config.seed()));
        Set<String> dropRule = options.saved() != null || config.dropInvalid()
                ? null
                : resetConnections(
                        files,
                        new NodeConfig(config.services(), config.kernel(), config.sysctls(), true, config.seed()));
        Set<String> newer = config.kernel() == KernelProfile.V6_18
                ? null
                : resetConnections(
                        files,
                        new NodeConfig(
                                config.services(),
                                KernelProfile.V6_18,
                                carriedTo(KernelProfile.V6_18, config.sysctls()),
                                config.dropInvalid(),
                                config.seed()));
        boolean nftables = options.saved() != null && options.saved().nftables() != null;
        List<Finding> result = new ArrayList<>();
        for (Finding f : findings) {
            if (f.kind() != FindingKind.INVALID_REPLY_RESET) {
                result.add(f);
                continue;
            }
            List<String> fixes = new ArrayList<>();
            String c = f.connection();
            fixes.add(
                    liberal == null
                            ? BE_LIBERAL + "=1 is already set here, and the reset happened anyway"
                            : BE_LIBERAL + "=1 " + (liberal.contains(c) ? "would not have prevented it" : "prevents it")
                                    + " (replayed with it: "
                                    + (liberal.contains(c)
                                            ? "the reset is still there)"
                                            : "the reply is tracked and reverse-NATed, no RST follows)"));
            fixes.add(dropRuleFix(dropRule, c, nftables));
            fixes.add(
                    newer == null
                            ? "a newer kernel would not have helped: Linux " + KernelProfile.V6_18.label()
                                    + " (the newest kernel kpsim models) marks this reply INVALID too"
                            : "Linux " + KernelProfile.V6_18.label() + " "
                                    + (newer.contains(c) ? "would not have prevented it" : "prevents it")
                                    + " (replayed with it; since 6.1 a reply under the window's lower bound is ignored,"
                                    + " not INVALID)");
            result.add(new Finding(
                    f.kind(), f.connection(), f.endpoint(), f.packets(), f.reason(), f.explanation(), fixes));
        }
        return result;
    }

    /** What an INVALID drop rule does for connection {@code c}, replayed with it when {@code dropRule} is known. */
    private String dropRuleFix(Set<String> dropRule, String c, boolean nftables) {
        if (dropRule == null && nftables) {
            return "an INVALID drop in the forward hook (ct state invalid drop) drops such a reply before the client"
                    + " sees it; kube-proxy's nftables mode writes none (kubernetes PR 122663) and relies on "
                    + BE_LIBERAL + "=1 or a 6.1+ kernel; not replayed here, since the node's own rules are used as"
                    + " saved";
        }
        String rule = "kube-proxy's INVALID drop rule (-m conntrack --ctstate INVALID -j DROP, kubernetes PR 74840) ";
        if (dropRule == null) {
            return rule + "drops such a reply before the client sees it; "
                    + (config.dropInvalid()
                            ? "it is already in these rules"
                            : "not replayed here, since the node's own rules are used as saved");
        }
        return rule + (dropRule.contains(c) ? "would not have prevented it" : "prevents it") + " (replayed with it: "
                + (dropRule.contains(c)
                        ? "the reset is still there)"
                        : "the reply is dropped, the server retransmits)");
    }

    /** The connections with an INVALID-reply reset when the files are replayed on {@code node}. */
    private Set<String> resetConnections(List<Path> files, NodeConfig node) {
        Replayer replayer = new Replayer(node, options);
        Set<String> found = new HashSet<>();
        for (Path file : files) {
            ResetFinder finder = new ResetFinder();
            replayer.replay(file, file.toString(), finder);
            for (Finding f : finder.findings()) {
                if (f.kind() == FindingKind.INVALID_REPLY_RESET) {
                    found.add(f.connection());
                }
            }
        }
        return found;
    }
}
