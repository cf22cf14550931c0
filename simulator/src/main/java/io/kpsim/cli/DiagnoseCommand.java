package io.kpsim.cli;

import io.kpsim.diagnose.CaptureDiagnosis;
import io.kpsim.diagnose.Diagnoser;
import io.kpsim.diagnose.DiagnosisJson;
import io.kpsim.diagnose.DiagnosisText;
import io.kpsim.replay.NodeConfig;
import io.kpsim.replay.ReplayOptions;
import io.kpsim.replay.Replayer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kpsim diagnose}: "was my reset this bug?". Replays captures like {@code replay} (same
 * options, same input handling), then reads the result per connection ({@link Diagnoser}) and
 * prints the verdict and the evidence. Exit 0 when it ran, whatever it found; 2 on bad input
 * (a capture it cannot read, or no rules to run: a diagnosis without the node's services would
 * find no NAT and so no INVALID-reply reset, which would be a wrong "no").
 */
@Command(
        name = "diagnose",
        mixinStandardHelpOptions = true,
        description = {
            "Was my reset the conntrack INVALID-reply bug? Replays captures taken on a node (tcpdump -i any,"
                    + " one-interface Ethernet, pcapng) through its rules and reads every reset: the verdict first,"
                    + " then each finding with its packets (file#index), the kernel's reason and the fixes,"
                    + " each fix checked by replaying again with it."
        })
final class DiagnoseCommand implements Callable<Integer>, Reproducible {

    /** Output formats. */
    enum Format {
        text,
        json
    }

    @Spec
    CommandSpec spec;

    @Mixin
    NodeOptions node;

    @Mixin
    CaptureOptions capture;

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "text|json",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin
    DiagnosePictures pictures;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Capture files (pcap or pcapng).")
    List<Path> files;

    @Override
    public Integer call() {
        pictures.check();
        NodeConfig config = node.toConfig();
        node.noteKernel(spec.commandLine().getErr());
        ReplayOptions options = capture.toOptions(node);
        if (options.saved() == null && config.services().isEmpty()) {
            throw new UserError("diagnose needs the node's rules: give --iptables-save FILE (the node's iptables-save),"
                    + " --nft-ruleset FILE (its nft list ruleset) or --service VIP:PORT=EP:PORT for each ClusterIP in"
                    + " the capture");
        }
        String noRules = CaptureOptions.noRulesWarning(config, options);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (noRules != null) {
            err.println("kpsim: warning: " + noRules);
        }
        for (String note : CaptureOptions.ruleNotes(options)) {
            err.println("kpsim: warning: " + note);
        }
        Set<String> servicesUsed = new TreeSet<>();
        CaptureDiagnosis d = new Diagnoser(config, options).diagnose(files, c -> {
            ReplayCommand.report(err, c);
            servicesUsed.addAll(c.servicesUsed());
        });
        ReplayCommand.unusedServices(err, new Replayer(config, options).services(), servicesUsed, true);
        // the pictures first, as run writes them: a reader that closes standard output early loses no file
        List<Path> written = pictures.wanted() ? pictures.write(config, options, files, d) : List.of();
        switch (format) {
            case text -> DiagnosisText.print(d, out);
            case json -> out.println(DiagnosisJson.of(d));
        }
        if (!written.isEmpty() && format == Format.text) {
            out.println("\npictures: "
                    + String.join(", ", written.stream().map(Path::toString).toList()));
        }
        out.flush();
        return ExitCode.OK;
    }

    @Override
    public String reproduction() {
        return files == null ? null : "diagnose " + files;
    }
}
