package io.kpsim.cli;

import io.kpsim.oracle.Oracle;
import io.kpsim.oracle.OracleConfig;
import io.kpsim.oracle.OracleReport;
import io.kpsim.replay.NodeConfig;
import io.kpsim.replay.Replayer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kpsim oracle}: replays captures through the real Linux kernel (a throw-away node network
 * namespace with the same services, sysctls and rules) and through the model, and prints where
 * they differ. Exit 0 when they agree on every packet, 1 when they differ, 2 on bad input or when
 * this machine cannot run the oracle (the message says exactly what is missing), 3 on an internal
 * error.
 */
@Command(
        name = "oracle",
        mixinStandardHelpOptions = true,
        description = {
            "Check the conntrack model against the real Linux kernel, packet by packet.",
            "Needs root, network namespaces, iptables, conntrack-tools and libpcap; runs kernel 6.18 behaviour."
        },
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {
            ExitCode.OK + ":the kernel and the model agree on every packet",
            ExitCode.FAILED + ":they differ",
            ExitCode.HELP_BAD_INPUT,
            ExitCode.HELP_INTERNAL,
            ExitCode.HELP_SIGINT,
            ExitCode.HELP_BROKEN_PIPE,
            ExitCode.HELP_SIGTERM
        })
final class OracleCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format {
        text,
        jsonl
    }

    @Spec
    CommandSpec spec;

    @Mixin
    NodeOptions node;

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "text|jsonl",
            description = "text: side by side with each disagreement marked; jsonl: both records per packet.")
    Format format;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Capture files (pcap or pcapng).")
    List<Path> files;

    @Override
    public Integer call() {
        NodeConfig config = node.toConfig();
        node.noteKernel(spec.commandLine().getErr());
        for (Path f : files) {
            if (Files.isDirectory(f)) {
                throw new UserError(f + ": is a directory (expected a pcap or pcapng file)");
            }
            if (!Files.isRegularFile(f)) {
                throw new UserError(f + ": no such file");
            }
        }
        Replayer model = new Replayer(config, false);
        // OracleException (the machine cannot run it) and CaptureException are UserFaults: exit 2
        OracleReport report = Oracle.run(OracleConfig.from(config), files, p -> model.replay(p, p.toString()));
        PrintWriter out = spec.commandLine().getOut();
        out.print(format == Format.jsonl ? report.jsonl() : report.text());
        out.flush();
        return report.agree() ? ExitCode.OK : ExitCode.FAILED;
    }
}
