package io.kpsim.oracle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One long-lived {@code sh} inside the node namespace that runs the per-capture
 * {@code conntrack -F}.
 *
 * <p>Why: {@code ip netns exec} sets up a mount namespace and remounts {@code /sys} on every call
 * (about 10 ms); a shell already inside the namespace only forks {@code conntrack}, which keeps
 * hundreds of small capture files per run affordable. Commands are fixed strings from this package,
 * never user text.
 */
final class NodeShell implements AutoCloseable {

    private static final String END = "@@kpsim-end@@";

    private final String netns;
    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    NodeShell(String netns) {
        this.netns = netns;
        ProcessBuilder b = new ProcessBuilder(List.of("ip", "netns", "exec", netns, "sh"));
        b.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            process = b.start();
        } catch (IOException e) {
            throw new OracleException("cannot start a shell in namespace " + netns + ": " + e.getMessage(), e);
        }
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Runs {@code command} (stderr discarded) and returns its stdout; throws on a non-zero exit. */
    String run(String command) {
        try {
            in.write(command + " 2>/dev/null; echo \"" + END + " $?\"\n");
            in.flush();
            StringBuilder text = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(END)) {
                    String code = line.substring(END.length()).trim();
                    if (!code.equals("0")) {
                        throw new OracleException(
                                "'" + command + "' in namespace " + netns + " failed (exit " + code + ")");
                    }
                    return text.toString();
                }
                text.append(line).append('\n');
            }
            throw new OracleException("the shell in namespace " + netns + " ended while running '" + command + "'");
        } catch (IOException e) {
            throw new OracleException("the shell in namespace " + netns + " failed: " + e.getMessage(), e);
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
            process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
