package io.kpsim.cli;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.ClusterSpecException;
import io.kpsim.cluster.Node;
import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.netfilter.NetInterface;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.PacketTracer;
import io.kpsim.netfilter.Route;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.netfilter.TraceOutcome;
import io.kpsim.netfilter.UnknownModules;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.replay.SavedRules;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioBuilder;
import io.kpsim.scenario.ScenarioException;
import io.kpsim.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kpsim trace}: where does this packet go on this node, and why? One packet through a
 * node's rules ({@code --iptables-save FILE} with its ipsets from {@code --ipset-save FILE}, or a
 * scenario's node) as {@link PacketTracer} walks it, printed in the style of {@code iptables -j
 * TRACE} ({@code nat:KUBE-SVC-XXXX:rule:2}) or as one JSON object ({@link PacketTraceText}, {@link PacketTraceJson}).
 *
 * <p>With {@code --iptables-save} the node has the addresses {@code --node-ip} names on
 * {@code eth0} (the first is its primary address, what MASQUERADE picks), 127.0.0.0/8 on lo, and a
 * default route by {@code eth0}; a packet from elsewhere arrives on {@code eth0} unless
 * {@code --in-interface} says otherwise. With a scenario, devices, addresses and routes are the
 * node's.
 */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description = {
            "Send one packet through a node's rules and show every rule it matches, in every table and chain,"
                    + " the NAT it gets, and its fate; -m statistic branches are all followed, with their"
                    + " probabilities.",
            "Rules from --iptables-save FILE, or from a scenario's node (default: scenarios/blog-reset.yaml)."
        },
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {
            ExitCode.OK + ":the trace was printed",
            ExitCode.HELP_BAD_INPUT,
            ExitCode.HELP_INTERNAL,
            ExitCode.HELP_SIGINT,
            ExitCode.HELP_BROKEN_PIPE,
            ExitCode.HELP_SIGTERM
        })
final class TraceCommand implements Callable<Integer> {

    /** The device {@code --iptables-save} nodes have their addresses on and route by. */
    static final String UPLINK = "eth0";

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "0..1",
            paramLabel = "SCENARIO.yaml",
            description = "The scenario whose node to trace (default without --iptables-save: "
                    + RunCommand.DEFAULT_SCENARIO + ").")
    Path file;

    @Option(
            names = "--iptables-save",
            paramLabel = "FILE",
            description = "The node's rules as iptables-save (or kube-proxy's iptables-restore input) prints them.")
    Path iptablesSave;

    @Option(
            names = "--ipset-save",
            paramLabel = "FILE",
            description = "The node's ipsets, as ipset save prints them, for the -m set rules of --iptables-save.")
    Path ipsetSave;

    @Option(
            names = "--unknown-match",
            paramLabel = "refuse|ignore",
            description = "What --iptables-save's match modules kpsim does not evaluate do: refuse (the default: an"
                    + " error naming the line and module) or ignore (treated as matching; each is reported on"
                    + " stderr).")
    CaptureOptions.UnknownModulesOption unknownMatch = CaptureOptions.UnknownModulesOption.refuse;

    @Option(names = "--node", paramLabel = "NAME", description = "The scenario's node (default: its first).")
    String node;

    @Option(
            names = "--node-ip",
            paramLabel = "IP",
            description = "An address of the node, for --iptables-save (repeatable; 127.0.0.0/8 always is one).")
    List<String> nodeIps = new ArrayList<>();

    @Option(
            names = "--in-interface",
            paramLabel = "IF",
            description = "The device the packet arrives on (default: eth0 with --iptables-save; with a scenario,"
                    + " the device the node routes the source by).")
    String inInterface;

    @Option(
            names = "--format",
            paramLabel = "text|json",
            defaultValue = "text",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin
    TraceProbeOptions probe;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("text") && !fmt.equals("json")) {
            throw new UserError("--format '" + format + "': expected text or json");
        }
        if (iptablesSave != null && file != null) {
            throw new UserError("give either SCENARIO.yaml or --iptables-save FILE, not both");
        }
        if (iptablesSave != null && node != null) {
            throw new UserError("--node names a scenario's node; --iptables-save " + iptablesSave + " is one node");
        }
        if (iptablesSave == null && ipsetSave != null) {
            throw new UserError("--ipset-save needs --iptables-save: the sets are named by the node's saved rules");
        }
        if (iptablesSave == null && unknownMatch != CaptureOptions.UnknownModulesOption.refuse) {
            throw new UserError("--unknown-match needs --iptables-save");
        }
        if (iptablesSave == null && !nodeIps.isEmpty()) {
            throw new UserError("--node-ip is for --iptables-save; a scenario's node has its own addresses");
        }
        Packet packet = probe.packet();
        int mark = probe.markValue();
        CtState given = probe.givenState();
        Traced traced;
        try {
            traced = iptablesSave != null ? fromSave(err) : fromScenario(err);
        } catch (ClusterSpecException e) {
            RunCommand.printModelProblems(err, String.valueOf(file == null ? RunCommand.defaultScenario() : file), e);
            return ExitCode.BAD_INPUT;
        }
        if (traced == null) {
            return ExitCode.BAD_INPUT;
        }
        NodeDatapath first = traced.node.get();
        String in = inInterface;
        if (in == null) {
            in = first.isLocal(packet.srcIp()) ? null : traced.defaultIn(first, packet.srcIp());
        }
        PacketTracer.Probe p = new PacketTracer.Probe(packet, in, mark, given);
        List<TraceOutcome> outcomes;
        try {
            outcomes = new PacketTracer(traced.node).trace(p);
        } catch (IllegalArgumentException e) {
            throw new UserError(traced.source + ": " + e.getMessage(), e);
        }
        PacketTrace trace = new PacketTrace(traced.source, p, probe.ctstate.toUpperCase(Locale.ROOT), first, outcomes);
        out.print(fmt.equals("json") ? PacketTraceJson.render(trace) : PacketTraceText.render(trace));
        out.flush();
        return ExitCode.OK;
    }

    /** Where the rules came from and how to make a fresh node with them. */
    private record Traced(String source, Supplier<NodeDatapath> node, boolean scenario) {

        String defaultIn(NodeDatapath n, int src) {
            if (!scenario) {
                return UPLINK;
            }
            String back = n.route(src);
            if (back == null) {
                throw new UserError("--src " + Ip4.format(src) + ": " + source
                        + " has no route to it, so the device it arrives on is unknown; give --in-interface");
            }
            return back;
        }
    }

    private Traced fromSave(PrintWriter err) {
        SavedRules saved = SavedRules.read(
                iptablesSave,
                ipsetSave,
                switch (unknownMatch) {
                    case refuse -> UnknownModules.REFUSE;
                    case ignore -> UnknownModules.IGNORE;
                });
        for (String note : saved.notes()) {
            err.println("kpsim: warning: " + note);
        }
        Ruleset rules = saved.rules();
        Set<Integer> addresses = new LinkedHashSet<>();
        for (String ip : nodeIps) {
            try {
                addresses.add(Ip4.parse(ip.trim()));
            } catch (IllegalArgumentException e) {
                throw new UserError("--node-ip '" + ip + "': not an IPv4 address");
            }
        }
        List<NetInterface> devices = new ArrayList<>();
        List<Integer> list = new ArrayList<>(addresses);
        devices.add(new NetInterface(UPLINK, list.isEmpty() ? 0 : list.get(0)));
        for (int i = 1; i < list.size(); i++) {
            devices.add(new NetInterface(UPLINK + ":" + i, list.get(i)));
        }
        if (inInterface != null && !inInterface.equals(UPLINK) && !inInterface.equals("lo")) {
            try {
                devices.add(new NetInterface(inInterface, 0));
            } catch (IllegalArgumentException e) {
                throw new UserError("--in-interface '" + inInterface + "': " + e.getMessage());
            }
        }
        List<Route> routes = List.of(new Route(Cidr.parse("0.0.0.0/0"), UPLINK));
        Supplier<NodeDatapath> fresh = () -> {
            Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), probe.seed);
            NodeDatapath n = new NodeDatapath(ct, rules, devices, routes, probe.seed);
            n.xt().ipsets(saved.sets());
            return n;
        };
        return new Traced(iptablesSave.toString(), fresh, false);
    }

    private Traced fromScenario(PrintWriter err) {
        Path path = file != null ? file : RunCommand.defaultScenario();
        Scenario scenario;
        try {
            scenario = ScenarioLoader.load(path, List.of());
        } catch (ScenarioException e) {
            RunCommand.printProblems(err, e);
            return null;
        }
        if (scenario.spec().nodes().isEmpty()) {
            throw new UserError(scenario.source() + ": the scenario has no nodes");
        }
        Cluster cluster = ScenarioBuilder.build(scenario.spec());
        String name = node != null ? node : scenario.spec().nodes().get(0).name();
        Node n = cluster.nodes().get(name);
        if (n == null) {
            throw new UserError("--node " + node + ": " + scenario.source() + " has no such node (it has "
                    + String.join(", ", cluster.nodes().keySet()) + ")");
        }
        NodeDatapath dp = n.datapath();
        if (inInterface != null
                && !inInterface.equals("lo")
                && dp.interfaces().stream().noneMatch(i -> i.name().equals(inInterface))) {
            List<String> names = new ArrayList<>();
            dp.interfaces().forEach(i -> names.add(i.name()));
            throw new UserError("--in-interface '" + inInterface + "': node " + name + " has no such device (it has "
                    + String.join(", ", names) + ", lo)");
        }
        Supplier<NodeDatapath> fresh =
                () -> dp.copy(new Conntrack(n.spec().kernel(), n.spec().sysctls(), probe.seed), probe.seed);
        return new Traced(scenario.source() + " node " + name, fresh, true);
    }
}
