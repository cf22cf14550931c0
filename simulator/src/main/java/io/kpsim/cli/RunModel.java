package io.kpsim.cli;

import io.kpsim.report.PcapRecorder;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line of {@code kpsim run}: its description, exit codes, options and the scenario
 * parameter, declared through picocli's programmatic API and bound to a {@link RunCommand}'s fields.
 * {@code run} is what a short run starts, and building its model from annotations cost about two
 * thirds of picocli's share of the tiny exchange's start-up (see {@link CommandModel}); the help,
 * the messages and the exit codes are what the annotations gave.
 */
final class RunModel {

    private RunModel() {}

    /** A new {@code run} command under {@code root} (or {@code null} when it stands alone), and its model. */
    static CommandSpec create(KpsimCommand root) {
        RunCommand run = new RunCommand();
        run.root = root;
        CommandSpec spec = CommandModel.command(
                run,
                "run",
                new String[] {
                    "Run a scenario and tell what happened, packet by packet.",
                    "The first reset is told as the blog's five packets (every one with --all), then one line per"
                            + " reset and per forged packet, the connections per endpoint, the counters, the verdict"
                            + " and the scenario's expectations.",
                    "Without SCENARIO.yaml, runs scenarios/blog-reset.yaml."
                },
                ExitCode.OK + ":every expectation held",
                ExitCode.FAILED + ":an expectation failed",
                ExitCode.HELP_BAD_INPUT,
                ExitCode.HELP_INTERNAL,
                ExitCode.HELP_SIGINT,
                ExitCode.HELP_BROKEN_PIPE,
                ExitCode.HELP_SIGTERM);
        run.spec = spec;
        Fields fields = new Fields(run);
        spec.addPositional(CommandModel.positional("file", Path.class, fields)
                .arity("0..1")
                .paramLabel("SCENARIO.yaml")
                .description("The scenario (default: " + RunCommand.DEFAULT_SCENARIO + ").")
                .build());
        spec.addMixin("scenarioOptions", run.scenarioOptions.mixin());
        spec.addOption(CommandModel.option("format", RunCommand.Format.class, fields, "--format")
                .defaultValue("text")
                .paramLabel("text|json")
                .description("Output format (default: ${DEFAULT-VALUE}).")
                .build());
        spec.addOption(CommandModel.option("pcapDir", Path.class, fields, "--pcap")
                .paramLabel("DIR")
                .description("Write one capture per observation point (pod veths, each node before and after NAT)"
                        + " into DIR.")
                .build());
        spec.addOption(CommandModel.option("force", boolean.class, fields, "--force")
                .description("With --pcap: replace existing capture files.")
                .build());
        spec.addOption(CommandModel.option("snapLength", int.class, fields, "--snaplen")
                .paramLabel("N")
                .defaultValue("" + PcapRecorder.DEFAULT_SNAP_LENGTH)
                .description("With --pcap: keep the first N bytes of each frame, the original length kept in the"
                        + " record, as tcpdump -s N; 0 keeps whole frames (default: ${DEFAULT-VALUE}).")
                .build());
        spec.addMixin("pictures", run.pictures.mixin());
        spec.addOption(CommandModel.option("absoluteSeq", boolean.class, fields, "--absolute-seq")
                .description("Text format: print raw TCP sequence and acknowledgement numbers in the story instead of"
                        + " numbers relative to each side's initial sequence number (tcpdump's -S).")
                .build());
        spec.addOption(CommandModel.option("all", boolean.class, fields, "--all")
                .description("Text format: tell every reset of the blog's kind in full, not only the first (each reset"
                        + " and each forged packet always gets its one-line outcome).")
                .build());
        spec.addOption(CommandModel.option("quiet", boolean.class, fields, "-q", "--quiet")
                .description("Text format: print only the counters (one line) and failed expectations; no story,"
                        + " no progress.")
                .build());
        spec.addOption(CommandModel.option("ignoreMemoryEstimate", boolean.class, fields, MemoryEstimate.OVERRIDE)
                .description("Run even when the estimated peak memory exceeds the Java heap.")
                .build());
        return spec;
    }

    /** {@code run}'s option fields by name, for picocli ({@link Binding}). */
    private static final class Fields implements Binding.Fields {

        private final RunCommand run;

        Fields(RunCommand run) {
            this.run = run;
        }

        @Override
        public Object get(String field) {
            return switch (field) {
                case "file" -> run.file;
                case "format" -> run.format;
                case "pcapDir" -> run.pcapDir;
                case "force" -> run.force;
                case "snapLength" -> run.snapLength;
                case "absoluteSeq" -> run.absoluteSeq;
                case "all" -> run.all;
                case "quiet" -> run.quiet;
                case "ignoreMemoryEstimate" -> run.ignoreMemoryEstimate;
                default -> throw Binding.noSuchField(this, field);
            };
        }

        @Override
        public void set(String field, Object value) {
            switch (field) {
                case "file" -> run.file = (Path) value;
                case "format" -> run.format = (RunCommand.Format) value;
                case "pcapDir" -> run.pcapDir = (Path) value;
                case "force" -> run.force = (Boolean) value;
                case "snapLength" -> run.snapLength = (Integer) value;
                case "absoluteSeq" -> run.absoluteSeq = (Boolean) value;
                case "all" -> run.all = (Boolean) value;
                case "quiet" -> run.quiet = (Boolean) value;
                case "ignoreMemoryEstimate" -> run.ignoreMemoryEstimate = (Boolean) value;
                default -> throw Binding.noSuchField(this, field);
            }
        }
    }
}
