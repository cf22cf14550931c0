package io.kpsim.cli;

import io.kpsim.cluster.ClusterSpecException;
import io.kpsim.netfilter.IptablesSave;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.replay.SavedRules;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioBuilder;
import io.kpsim.scenario.ScenarioException;
import io.kpsim.scenario.ScenarioLoader;
import io.kpsim.scenario.ScenarioRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kpsim rules [SCENARIO.yaml [--node NAME] | --iptables-save FILE] [--format FORMAT]}: prints
 * a node's netfilter rules as the rule engine holds them, as the kernel's {@code iptables-save}
 * (nf_tables backend, {@link IptablesSave}) prints them or as JSON ({@link RulesJson}); from a
 * file, restore then save reproduces the kernel's own output. A scenario's node has kube-proxy's
 * KUBE-SERVICES, KUBE-SVC-*, KUBE-SEP-*, KUBE-MARK-MASQ, KUBE-POSTROUTING and KUBE-FORWARD chains
 * for the scenario's services, with the INVALID drop rule when {@code --drop-invalid} (or the
 * scenario) asks for it; in nftables mode ({@code --proxy-mode nftables},
 * {@code --kube-proxy-version}) its ruleset as {@code nft list ruleset} prints it. Cheap: nothing
 * runs.
 */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = {
            "Print a node's kube-proxy rules: iptables-save's text, or in nftables mode nft list ruleset's.",
            "Nothing runs. Without SCENARIO.yaml, uses scenarios/blog-reset.yaml."
        },
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {
            ExitCode.OK + ":the rules were printed",
            ExitCode.HELP_BAD_INPUT,
            ExitCode.HELP_INTERNAL,
            ExitCode.HELP_SIGINT,
            ExitCode.HELP_BROKEN_PIPE,
            ExitCode.HELP_SIGTERM
        })
final class RulesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "0..1",
            paramLabel = "SCENARIO.yaml",
            description = "The scenario (default: " + RunCommand.DEFAULT_SCENARIO + ").")
    Path file;

    @Option(names = "--node", paramLabel = "NAME", description = "The node (default: the scenario's first node).")
    String node;

    @Option(
            names = "--iptables-save",
            paramLabel = "FILE",
            description =
                    "Read the rules from FILE (iptables-save output or kube-proxy's iptables-restore input) instead"
                            + " of a scenario, and print what the rule engine holds.")
    Path iptablesSave;

    @Option(
            names = "--format",
            paramLabel = "iptables-save|json",
            defaultValue = "iptables-save",
            description = "iptables-save: the text the kernel's iptables-save (nf_tables backend) prints; json: every"
                    + " chain and rule with its conditions and target (default: ${DEFAULT-VALUE}).")
    String format;

    /** {@code --set}, {@code --seed}, {@code --kernel}, the fixes, the kube-proxy mode and release. */
    final ScenarioOptions scenarioOptions = new ScenarioOptions();

    /** picocli takes a mixin declared programmatically as it is ({@link ScenarioOptions#mixin()}). */
    @Mixin(name = "scenarioOptions")
    final CommandSpec scenarioOptionsModel = scenarioOptions.mixin();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean json = switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "iptables-save" -> false;
            case "json" -> true;
            default -> throw new UserError("--format '" + format + "': expected iptables-save or json");
        };
        if (iptablesSave != null) {
            if (file != null) {
                throw new UserError("give either SCENARIO.yaml or --iptables-save FILE, not both");
            }
            if (node != null) {
                throw new UserError("--node names a scenario's node; --iptables-save " + iptablesSave + " is one node");
            }
            Ruleset rules = SavedRules.read(iptablesSave).rules();
            out.print(json ? RulesJson.render(rules) : IptablesSave.render(rules));
            out.flush();
            return ExitCode.OK;
        }
        Path path = file != null ? file : RunCommand.defaultScenario();
        Scenario scenario;
        try {
            scenario = ScenarioLoader.load(path, scenarioOptions.overrides());
        } catch (ScenarioException e) {
            RunCommand.printProblems(err, e);
            return ExitCode.BAD_INPUT;
        }
        KernelNote.print(scenarioOptions.kernel, err);
        KernelNote.print(scenario, scenarioOptions.kernel != null, err);
        if (scenario.spec().nodes().isEmpty()) {
            throw new UserError(scenario.source() + ": the scenario has no nodes");
        }
        List<String> names = new ArrayList<>();
        scenario.spec().nodes().forEach(n -> names.add(n.name()));
        if (node != null && !names.contains(node)) {
            throw new UserError("--node " + node + ": " + scenario.source() + " has no such node (it has "
                    + String.join(", ", names) + ")");
        }
        String name = node != null ? node : names.get(0);
        try {
            if (scenario.spec().kubeProxy().nftables().isPresent()) {
                if (json) {
                    throw new UserError("--format json: " + scenario.source()
                            + " runs kube-proxy in nftables mode; json describes iptables rules");
                }
                out.print(ScenarioRun.rules(scenario.spec(), name));
            } else {
                Ruleset rules = ScenarioBuilder.build(scenario.spec())
                        .node(name)
                        .datapath()
                        .rules();
                out.print(json ? RulesJson.render(rules) : IptablesSave.render(rules));
            }
        } catch (ClusterSpecException e) {
            RunCommand.printModelProblems(err, scenario.source(), e);
            return ExitCode.BAD_INPUT;
        }
        out.flush();
        return ExitCode.OK;
    }
}
