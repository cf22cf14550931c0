package io.kpsim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs kpsim in its own JVM, as a user's shell would ({@code java ... io.kpsim.cli.Main ARGS}), for
 * what only a real process shows: exit codes from {@code System.exit}, signals, the real standard
 * output and its write errors, two runs at once. The classpath is this test JVM's, so the code
 * under test is the one just compiled (the jar is built only after the tests).
 */
final class KpsimProcess {

    /** What a finished process left. */
    record Result(int code, String out, String err) {

        /** The error output's lines. */
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    private KpsimProcess() {}

    /** {@code java JVM_ARGS -cp CLASSPATH io.kpsim.cli.Main ARGS}, optionally after a wrapper command. */
    static List<String> command(List<String> wrapper, List<String> jvmArgs, String... args) {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** {@code kpsim ARGS} in a fresh JVM. */
    static ProcessBuilder builder(String... args) {
        return new ProcessBuilder(command(List.of(), List.of(), args));
    }

    /** Runs {@code builder} to its end (or kills it after {@code seconds}) and keeps both outputs. */
    static Result run(ProcessBuilder builder, long seconds) {
        try {
            Process p = builder.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kpsim did not end within " + seconds + " s: " + builder.command());
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Reads a stream to its end on another thread, so a full pipe never blocks the process. */
    static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> { // its own thread: the common pool may have a single one
                    try (in) {
                        text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        text.complete("");
                    }
                });
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    /** Whether {@code command} can run here and exits 0 (a tool the test needs). */
    static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether this process runs as root (mounts, read-only file systems). */
    static boolean root() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && uid.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
