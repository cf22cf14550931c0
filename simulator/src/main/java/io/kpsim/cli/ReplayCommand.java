package io.kpsim.cli;

import io.kpsim.packet.Ip4;
import io.kpsim.pcap.CaptureException;
import io.kpsim.replay.CaptureCensus;
import io.kpsim.replay.JsonLinesWriter;
import io.kpsim.replay.NodeConfig;
import io.kpsim.replay.RecordOutput;
import io.kpsim.replay.ReplayOptions;
import io.kpsim.replay.ReplayRecord;
import io.kpsim.replay.ReplayStep;
import io.kpsim.replay.ReplaySummary;
import io.kpsim.replay.ReplayTextWriter;
import io.kpsim.replay.Replayer;
import io.kpsim.replay.ServiceMapping;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
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
 * prints what the node did with every packet. A capture kpsim cannot read is one line on stderr,
 * and the replay goes on with the next file; the exit code is then 2.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Replay pcap/pcapng captures through a node's conntrack and kube-proxy rules.",
            "Each file starts from an empty conntrack table; capture timestamps are the clock."
        },
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {
            ExitCode.OK + ":every file was replayed",
            ExitCode.HELP_BAD_INPUT,
            ExitCode.HELP_INTERNAL,
            ExitCode.HELP_SIGINT,
            ExitCode.HELP_BROKEN_PIPE,
            ExitCode.HELP_SIGTERM
        })
final class ReplayCommand implements Callable<Integer>, Reproducible {

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

    @Mixin
    CaptureOptions capture;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Capture files (pcap or pcapng).")
    List<Path> files;

    /** The file being replayed (read by an interrupt's thread and by a bug report). */
    private volatile String current;
    /** Its position in {@link #files}, from 1. */
    private volatile int fileNumber;
    /** The index of the last record replayed, or -1 before the first. */
    private final AtomicLong record = new AtomicLong(-1);

    @Override
    public Integer call() {
        NodeConfig config = node.toConfig();
        ReplayOptions options = capture.toOptions(node);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        node.noteKernel(err);
        String noRules = CaptureOptions.noRulesWarning(config, options);
        if (noRules != null) {
            err.println("kpsim: warning: " + noRules);
        }
        for (String note : CaptureOptions.ruleNotes(options)) {
            err.println("kpsim: warning: " + note);
        }
        err.flush();
        Replayer replayer = new Replayer(config, options);
        Set<String> servicesUsed = new TreeSet<>();
        ReplaySummary total = new ReplaySummary();
        JsonLinesWriter jsonl = null;
        if (format == Format.jsonl) {
            out.flush(); // nothing is buffered yet, but the byte stream must never overtake the writer
            jsonl = root.rawOut() != null ? new JsonLinesWriter(root.rawOut()) : new JsonLinesWriter(out);
        }
        Interrupts interrupts = root.interrupts();
        interrupts.during(this::interrupted);
        List<String> failed = new ArrayList<>();
        try {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                current = file.toString();
                fileNumber = i + 1;
                record.setOpaque(-1);
                ReplayTextWriter text = format == Format.text ? new ReplayTextWriter(out, file.toString()) : null;
                JsonLinesWriter lines = jsonl;
                Consumer<ReplayRecord> toLines = r -> {
                    record.setOpaque(r.index());
                    lines.record(r);
                };
                Consumer<ReplayStep> toText = r -> {
                    record.setOpaque(r.record().index());
                    total.add(r.record());
                    text.record(r);
                };
                CaptureCensus[] census = new CaptureCensus[1];
                CaptureException bad = lines != null
                        ? replay(f -> replayer.replayRecords(f, f.toString(), toLines), file, lines, census)
                        : replay(f -> replayer.replay(f, f.toString(), toText), file, text, census);
                if (bad == null) {
                    if (text != null) {
                        text.finish(census[0].notes());
                    }
                    out.flush();
                    report(err, census[0]);
                    servicesUsed.addAll(census[0].servicesUsed());
                    continue;
                }
                // A bad capture: its records before the bad one are out, the line says why, the next file goes on.
                out.flush();
                err.println("kpsim: " + bad.getMessage());
                err.flush();
                failed.add(file.toString());
            }
            if (format == Format.text && files.size() > 1) {
                out.println();
                out.println("all files: " + total.line());
            }
            out.flush();
            unusedServices(err, replayer.services(), servicesUsed, failed.size() < files.size());
        } finally {
            interrupts.end();
        }
        if (failed.isEmpty()) {
            return ExitCode.OK;
        }
        if (files.size() > 1) {
            err.println("kpsim: " + failed.size() + " of " + files.size() + " files could not be replayed: "
                    + String.join(", ", failed));
        }
        return ExitCode.BAD_INPUT;
    }

    /**
     * Replays one file and hands what it printed to the output.
     *
     * @return the file's problem, when it is a bad capture (the command goes on with the next file)
     * @throws RuntimeException anything else, the first error kept when writing the output fails too
     */
    private static CaptureException replay(
            Function<Path, CaptureCensus> replayer, Path file, RecordOutput output, CaptureCensus[] census) {
        RuntimeException first = null;
        try {
            census[0] = replayer.apply(file);
        } catch (RuntimeException e) {
            first = e;
        } catch (Error e) {
            flushAfter(output, e);
            throw e;
        }
        if (output != null) {
            try {
                output.flush(); // the lines before a bad record are printed before its error
            } catch (RuntimeException e) {
                if (first == null) {
                    throw e;
                }
                if (e != first) { // the writer's failure is thrown again by each call: once is enough
                    first.addSuppressed(e); // the first error caused the rest: it is the one to tell
                }
                throw first;
            }
        }
        if (first instanceof CaptureException bad) { // not an OutputFailure: that ends the command
            return bad;
        }
        if (first != null) {
            throw first;
        }
        return null;
    }

    private static void flushAfter(RecordOutput output, Throwable first) {
        if (output == null) {
            return;
        }
        try {
            output.flush();
        } catch (RuntimeException e) {
            if (e != first) {
                first.addSuppressed(e);
            }
        }
    }

    /** The file's classification line and its warnings, on standard error. */
    static void report(PrintWriter err, CaptureCensus census) {
        err.println("kpsim: " + census.classification());
        for (String w : census.warnings()) {
            err.println("kpsim: warning: " + w);
        }
        err.flush();
    }

    /** One warning per service no replayed packet of any file was addressed to. */
    static void unusedServices(PrintWriter err, List<ServiceMapping> services, Set<String> used, boolean anyReplayed) {
        if (!anyReplayed) {
            return;
        }
        for (ServiceMapping s : services) {
            String front = Ip4.format(s.vip(), s.port());
            if (!used.contains(front)) {
                err.println("kpsim: warning: service " + front + " matched no packet in any file");
            }
        }
        err.flush();
    }

    /** What a Ctrl-C or SIGTERM stopped (on the interrupt's thread). */
    private String interrupted() {
        String file = current;
        if (file == null) {
            return "kpsim replay stopped before the first capture was read";
        }
        long index = record.getOpaque();
        return "the replay of " + file + " (file " + fileNumber + " of " + files.size() + ") stopped "
                + (index < 0 ? "before its first record" : "after record " + index)
                + "; the output printed so far ends with whole lines, without the summary";
    }

    @Override
    public String reproduction() {
        String file = current;
        if (file == null) {
            return null;
        }
        long index = record.getOpaque();
        return "while replaying " + file + (index < 0 ? "" : ", after record " + index)
                + " (the capture files are needed too)";
    }
}
