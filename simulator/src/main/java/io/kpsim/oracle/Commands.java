package io.kpsim.oracle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the administration tools the oracle drives ({@code ip}, {@code iptables},
 * {@code conntrack}) and turns any failure into one line naming the command and its error
 * output. Everything that touches a namespace goes through {@code ip netns exec NAME}, so the
 * root namespace is never changed by accident.
 */
final class Commands {

    private static final long TIMEOUT_SECONDS = 30;

    private Commands() {}

    /** The result of a finished command. */
    record Result(int exitCode, String stdout, String stderr) {

        boolean ok() {
            return exitCode == 0;
        }

        /** The first non-empty line of stderr, else of stdout, for one-line messages. */
        String firstErrorLine() {
            for (String text : List.of(stderr, stdout)) {
                for (String line : text.split("\n")) {
                    if (!line.isBlank()) {
                        return line.trim();
                    }
                }
            }
            return "no output";
        }
    }

    /** Runs {@code command}, returning its exit code and output; never throws for a non-zero exit. */
    static Result exec(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(127, "", command.get(0) + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            StreamReader err = new StreamReader(process.getErrorStream());
            err.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(124, out, String.join(" ", command) + ": timed out");
            }
            err.join();
            return new Result(process.exitValue(), out, err.text());
        } catch (IOException e) {
            process.destroyForcibly();
            return new Result(126, "", String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(130, "", String.join(" ", command) + ": interrupted");
        }
    }

    /** Runs {@code command} and returns its standard output, or throws naming the failure. */
    static String run(List<String> command) {
        Result r = exec(command);
        if (!r.ok()) {
            throw new OracleException(
                    "'" + String.join(" ", command) + "' failed (exit " + r.exitCode() + "): " + r.firstErrorLine());
        }
        return r.stdout();
    }

    /** Runs {@code args} inside network namespace {@code netns} via {@code ip netns exec}. */
    static String inNetns(String netns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Drains a stream on its own thread so a chatty stderr cannot block the child. */
    private static final class StreamReader extends Thread {
        private final InputStream in;
        private volatile String text = "";

        StreamReader(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = e.getMessage();
            }
        }

        String text() {
            return text;
        }
    }
}
