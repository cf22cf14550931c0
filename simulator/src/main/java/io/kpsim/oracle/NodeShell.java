package io.kpsim.oracle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived {@code sh} inside the node namespace that runs the per-capture
 * {@code conntrack -F}.
 *
 * <p>Why: {@code ip netns exec} sets up a mount namespace and remounts {@code /sys} on every call
 * (about 10 ms); a shell already inside the namespace only forks {@code conntrack}, which keeps
 * hundreds of small capture files per run affordable. Commands are fixed strings from this package,
 * never user text.
 *
 * <p>Every command has a deadline ({@link #COMMAND_TIMEOUT}): a reader thread hands the shell's
 * output over line by line, and a command that has not finished in time (a {@code conntrack}
 * stuck on a netlink socket, a shell that stopped reading) kills the shell and ends the oracle
 * with a line saying which command hung, instead of waiting for ever.
 */
final class NodeShell implements AutoCloseable {

    /** How long one command may take; {@code conntrack -F} of a capture's few entries takes milliseconds. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private static final String END = "@@kpsim-end@@";

    /** A line of the shell's output; {@link #CLOSED} when the output ended. */
    private record Line(String text) {}

    private static final Line CLOSED = new Line(null);

    private final String where;
    private final Duration timeout;
    private final Process process;
    private final Writer in;
    private final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    /** Why the shell is gone (it hung and was killed, or it ended), or null while it runs. */
    private String gone;

    /** A shell in network namespace {@code netns}. */
    NodeShell(String netns) {
        this("namespace " + netns, List.of("ip", "netns", "exec", netns, "sh"), COMMAND_TIMEOUT);
    }

    /**
     * A shell started by {@code command}, each command given at most {@code timeout}.
     *
     * @param where where the shell runs, as messages name it ("namespace kps-node-1a2b")
     */
    NodeShell(String where, List<String> command, Duration timeout) {
        this.where = where;
        this.timeout = timeout;
        ProcessBuilder b = new ProcessBuilder(command);
        b.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            process = b.start();
        } catch (IOException e) {
            throw new OracleException("cannot start a shell in " + where + ": " + e.getMessage(), e);
        }
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> pump(out), "kpsim-shell-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The reader thread: every line into {@link #lines}, then {@link #CLOSED}, whatever ends it. */
    private void pump(BufferedReader out) {
        try (out) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(new Line(line));
            }
        } catch (IOException e) {
            // the shell was killed or its pipe broke: the output has ended either way
        } finally {
            lines.add(CLOSED);
        }
    }

    /**
     * Runs {@code command} (stderr discarded) and returns its stdout.
     *
     * @throws OracleException when it exits non-zero, the shell ends, or it takes longer than the
     *     timeout (the shell is then killed: later commands fail too)
     */
    String run(String command) {
        if (gone != null) {
            throw new OracleException(
                    "the shell in " + where + " is gone (" + gone + "); cannot run '" + command + "'");
        }
        try {
            in.write(command + " 2>/dev/null; echo \"" + END + " $?\"\n");
            in.flush();
        } catch (IOException e) {
            throw new OracleException("the shell in " + where + " failed: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder text = new StringBuilder();
        try {
            while (true) {
                Line line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    process.destroyForcibly();
                    gone = "'" + command + "' did not finish within " + timeout.toMillis() + " ms";
                    throw new OracleException("'" + command + "' in " + where + " did not finish within "
                            + timeout.toMillis() + " ms; the shell was stopped");
                }
                if (line == CLOSED) {
                    gone = "it ended while running '" + command + "'";
                    throw new OracleException("the shell in " + where + " ended while running '" + command + "'");
                }
                if (line.text().startsWith(END)) {
                    String code = line.text().substring(END.length()).trim();
                    if (!code.equals("0")) {
                        throw new OracleException("'" + command + "' in " + where + " failed (exit " + code + ")");
                    }
                    return text.toString();
                }
                text.append(line.text()).append('\n');
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            gone = "interrupted while '" + command + "' ran";
            throw new OracleException("interrupted while '" + command + "' ran in " + where, e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // the shell is being destroyed anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
