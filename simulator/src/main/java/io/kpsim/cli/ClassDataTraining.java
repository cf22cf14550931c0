package io.kpsim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of kpsim's class-data archive (AppCDS). The {@code ./kpsim} launcher starts it
 * once per build of the jar, as {@code java -XX:DumpLoadedClassList=LIST -cp kpsim.jar
 * io.kpsim.cli.ClassDataTraining}, and then dumps the listed classes into a static archive
 * ({@code -Xshare:dump}, JEP 310). It runs the commands users run on a small scenario that ends in
 * a reset ({@code class-data-training.yaml}, next to this class), so that the list holds every
 * class they load. Later runs map the archived classes instead of reading, parsing and verifying
 * them from the jar. Only the classes matter: the commands' output is thrown away and their exit
 * codes are not checked. A failure here only means a slower start, and the launcher then goes on
 * without an archive.
 */
public final class ClassDataTraining {

    private static final String SCENARIO = "class-data-training.yaml";

    private ClassDataTraining() {}

    /** Runs the training commands in a temporary directory it removes afterwards. */
    public static void main(String... args) throws IOException {
        train(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Runs the training commands in a fresh directory under {@code parent} and removes it afterwards. */
    static void train(Path parent) throws IOException {
        Path dir = Files.createTempDirectory(parent, "kpsim-class-data-");
        try {
            for (List<String> command : commands(dir)) {
                execute(command);
            }
            armInterruptHook();
        } finally {
            delete(dir);
        }
    }

    /**
     * The command lines of the training, in order: help (every subcommand's model), each output
     * of {@code run}, {@code validate}, {@code rules}, {@code trace}, {@code matrix}, and {@code replay} and
     * {@code diagnose} of the captures that
     * {@code run --pcap} wrote (pcap4j, JNA and libpcap; skipped in effect when libpcap is missing).
     */
    static List<List<String>> commands(Path dir) throws IOException {
        Path scenario = dir.resolve(SCENARIO);
        try (InputStream in = ClassDataTraining.class.getResourceAsStream(SCENARIO)) {
            if (in == null) {
                throw new IllegalStateException(SCENARIO + " is missing from the jar");
            }
            Files.copy(in, scenario);
        }
        String file = scenario.toString();
        Path captures = dir.resolve("captures");
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("--help"));
        commands.add(List.of("run", "--help"));
        commands.add(List.of("run", file, "--quiet"));
        commands.add(List.of("run", file));
        commands.add(List.of("run", file, "--format", "json"));
        commands.add(List.of("run", file, "--pcap", captures.toString()));
        commands.add(List.of("validate", file));
        commands.add(List.of("rules", file));
        commands.add(List.of("rules", file, "--format", "json"));
        commands.add(List.of("trace", file, "--src", "10.244.1.2", "--dst", "10.96.0.10:80"));
        commands.add(List.of("trace", file, "--src", "10.244.1.2", "--dst", "10.96.0.10:80", "--format", "json"));
        commands.add(List.of("kernels", "4.19", "6.18"));
        commands.add(
                List.of("matrix", file, "--kernels", "4.19", "--kube-proxy-versions", "1.29", "--be-liberal", "off"));
        commands.add(List.of(
                "replay",
                "--service",
                "10.96.0.10:80=10.244.2.2:8080",
                captures.resolve("node-a.before-nat.pcap").toString()));
        commands.add(List.of(
                "replay",
                "--format",
                "jsonl",
                "--service",
                "10.96.0.10:80=10.244.2.2:8080",
                captures.resolve("node-a.before-nat.pcap").toString()));
        commands.add(List.of(
                "diagnose",
                "--service",
                "10.96.0.10:80=10.244.2.2:8080",
                captures.resolve("node-a.before-nat.pcap").toString()));
        return commands;
    }

    /**
     * Arms and disarms the hook that reports a signal, as every command a user starts does. The
     * commands above run in-process, without that hook ({@link Interrupts#none()}), so without this
     * its lambda would be the one class of a run spun at run time, and the first lambda spun pays for
     * the JDK's class generator, 1-4 ms (src/docs/benchmarks.md, "Start-up", session 8).
     */
    private static void armInterruptHook() {
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
        Interrupts interrupts = Interrupts.forProcess(discard, discard);
        interrupts.during(String::new);
        interrupts.end();
    }

    /** Runs one command line with its output discarded. */
    private static void execute(List<String> command) {
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
        Main.execute(discard, discard, OutputStream.nullOutputStream(), command.toArray(new String[0]));
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
