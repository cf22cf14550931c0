package io.kpsim.netfilter.nftables;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of its own (named with the pid and a counter) in which tests load rules with
 * the real {@code nft} and read back what it lists; deleted on {@link #close()}. Tests that need
 * one skip, naming what is missing, when the machine is not root or has no {@code nft} or
 * {@code ip netns}.
 */
final class ThrowawayNetns implements AutoCloseable {

    private static int counter;

    private final String name;

    private ThrowawayNetns(String name) {
        this.name = name;
    }

    /** A new namespace, or the test is skipped with the reason. */
    static ThrowawayNetns create() {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root (uid 0) for network namespaces");
        }
        for (String tool : List.of("ip", "nft")) {
            if (!onPath(tool)) {
                missing.add("'" + tool + "' on PATH (Debian: " + (tool.equals("ip") ? "iproute2" : "nftables") + ")");
            }
        }
        assumeTrue(missing.isEmpty(), "needs " + String.join(", ", missing));
        String name;
        synchronized (ThrowawayNetns.class) {
            name = "kpn" + ProcessHandle.current().pid() + "x" + (++counter);
        }
        Result r = exec(List.of("ip", "netns", "add", name), null);
        assumeTrue(r.code == 0, "needs 'ip netns add' to work: " + r.output.strip());
        return new ThrowawayNetns(name);
    }

    /** The namespace's name. */
    String name() {
        return name;
    }

    /** Runs {@code sh -c script} inside the namespace; returns stdout and stderr together. */
    String shell(String script) {
        Result r = exec(List.of("ip", "netns", "exec", name, "sh", "-c", script), null);
        if (r.code != 0) {
            throw new IllegalStateException("in " + name + ": " + script + " failed (" + r.code + "): " + r.output);
        }
        return r.output;
    }

    /** Loads {@code text} with {@code nft -f} after flushing the ruleset; returns nft's error, or null. */
    String load(String text) throws IOException {
        Path file = Files.createTempFile("kpsim-nft-", ".nft");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            Result r =
                    exec(List.of("ip", "netns", "exec", name, "sh", "-c", "nft flush ruleset && nft -f " + file), null);
            return r.code == 0 ? null : r.output;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** {@code nft list ruleset}. */
    String listRuleset() {
        return shell("nft list ruleset");
    }

    @Override
    public void close() {
        exec(List.of("ip", "netns", "delete", name), null);
    }

    record Result(int code, String output) {}

    static Result exec(List<String> command, String stdin) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
