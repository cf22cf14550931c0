package io.kpsim.cli;

import io.kpsim.replay.JsonLinesWriter;
import io.kpsim.replay.NodeConfig;
import io.kpsim.replay.ReplayStep;
import io.kpsim.replay.ReplaySummary;
import io.kpsim.replay.ReplayTextWriter;
import io.kpsim.replay.Replayer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kpsim replay}: runs captures, as arriving at a node, through PREROUTING (conntrack,
 * DNAT), FORWARD (KUBE-FORWARD) and POSTROUTING (confirm), each file from an empty table, and
 * prints what the node did with every packet.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Replay pcap/pcapng captures through a node's conntrack and kube-proxy rules.",
            "Each file starts from an empty conntrack table; capture timestamps are the clock."
        })
final class ReplayCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format {
        text,
        jsonl
    }

    @Spec
    CommandSpec spec;

    @ParentCommand
    KpsimCommand root;

    @Mixin
    NodeOptions node;

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "text|jsonl",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(
            names = "--verify-checksums",
            description = "Check IPv4/TCP/UDP checksums as net.netfilter.nf_conntrack_checksum=1 does at PREROUTING.")
    boolean verifyChecksums;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Capture files (pcap or pcapng).")
    List<Path> files;

    @Override
    public Integer call() {
        NodeConfig config = node.toConfig();
        PrintWriter out = spec.commandLine().getOut();
        Replayer replayer = new Replayer(config, verifyChecksums);
        ReplaySummary total = new ReplaySummary();
        JsonLinesWriter jsonl = null;
        if (format == Format.jsonl) {
            out.flush(); // nothing is buffered yet, but the byte stream must never overtake the writer
            jsonl = root.rawOut() != null ? new JsonLinesWriter(root.rawOut()) : new JsonLinesWriter(out);
        }
        for (Path file : files) {
            ReplayTextWriter text = format == Format.text ? new ReplayTextWriter(out, file.toString()) : null;
            JsonLinesWriter lines = jsonl;
            Consumer<ReplayStep> sink = lines != null
                    ? r -> lines.record(r.record())
                    : r -> {
                        total.add(r.record());
                        text.record(r);
                    };
            try {
                replayer.replay(file, file.toString(), sink);
            } finally {
                if (jsonl != null) {
                    jsonl.flush(); // the lines before a bad record are printed before its error
                }
            }
            if (text != null) {
                text.finish();
            }
        }
        if (format == Format.text && files.size() > 1) {
            out.println();
            out.println("all files: " + total.line());
        }
        out.flush();
        return ExitCode.OK;
    }
}
