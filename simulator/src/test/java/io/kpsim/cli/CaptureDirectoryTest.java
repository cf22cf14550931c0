package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --pcap DIR} with real processes and real file systems: two runs into one directory never
 * corrupt each other (the second is refused and told who holds it), a read-only directory and a
 * full disk are reported against the directory, not the scenario, and a failed run leaves no
 * partial file behind.
 *
 * <p>The read-only and full file systems are small tmpfs mounts made inside a private mount
 * namespace ({@code unshare -m}) of the kpsim process itself, so nothing is mounted on the machine
 * and nothing is left mounted if a test dies. That needs root; elsewhere those tests are skipped,
 * except the read-only case, which a non-root user gets from {@code chmod 555}.
 */
class CaptureDirectoryTest {

    /** Mounts a tmpfs on $MNT (with $MOUNT_OPTIONS), runs the command, lists what is left under $MNT. */
    private static final String IN_TMPFS = """
            mount -t tmpfs -o "$MOUNT_OPTIONS" kpsim-test "$MNT" || exit 90
            if [ -n "$FILL" ]; then dd if=/dev/zero of="$MNT/fill" bs=4096 2>/dev/null; fi
            if [ -n "$STDOUT" ]; then "$@" > "$STDOUT"; else "$@"; fi
            rc=$?
            (cd "$MNT" && find . -mindepth 1 ! -name fill | sort) > "$LISTING"
            exit $rc
            """;

    @TempDir
    Path dir;

    @Test
    void aSecondRunIntoTheSameDirectoryIsRefusedNamingTheFirst() throws Exception {
        Path caps = dir.resolve("caps");
        Process first = new ProcessBuilder(KpsimProcess.command(
                        List.of(),
                        List.of(),
                        "run",
                        RunCommandTest.scenario("congested-6.18").toString(),
                        "--set",
                        "spec.duration=600s",
                        "--set",
                        "spec.workloads[0].fileSize=256MiB", // seconds of run: it must outlast the second run
                        "--pcap",
                        caps.toString(),
                        "-q"))
                .start();
        CompletableFuture<String> firstErr = KpsimProcess.drain(first.getErrorStream());
        KpsimProcess.drain(first.getInputStream());
        try {
            awaitLock(first, caps);
            KpsimProcess.Result second = KpsimProcess.run(
                    KpsimProcess.builder(
                            "run", RunCommandTest.scenario("boom-4.19").toString(), "--pcap", caps.toString(), "-q"),
                    120);
            assertEquals(2, second.code(), second.err());
            assertEquals(
                    "kpsim: --pcap: " + caps + ": another kpsim run (pid " + first.pid() + ") is writing captures"
                            + " into this directory; wait for it to finish or choose another --pcap directory\n",
                    second.err());
        } finally {
            new ProcessBuilder("kill", "-TERM", Long.toString(first.pid()))
                    .start()
                    .waitFor();
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the first run ended");
        }
        assertTrue(firstErr.join().startsWith("kpsim: interrupted: "), firstErr.join());
        KpsimProcess.Result third = KpsimProcess.run(
                KpsimProcess.builder(
                        "run", RunCommandTest.scenario("boom-4.19").toString(), "--pcap", caps.toString(), "-q"),
                120);
        assertEquals(0, third.code(), third.err());
        for (String name : listing(caps)) {
            InterruptTest.readWhole(caps.resolve(name));
        }
    }

    @Test
    void runsStartedTogetherNeverCorruptACapture() throws Exception {
        Path reference = dir.resolve("reference");
        KpsimProcess.Result alone = KpsimProcess.run(
                KpsimProcess.builder(
                        "run", RunCommandTest.scenario("boom-4.19").toString(), "--pcap", reference.toString(), "-q"),
                120);
        assertEquals(0, alone.code(), alone.err());
        Path caps = dir.resolve("caps");
        List<Process> runs = new ArrayList<>();
        List<CompletableFuture<String>> errs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Process p = KpsimProcess.builder(
                            "run",
                            RunCommandTest.scenario("boom-4.19").toString(),
                            "--pcap",
                            caps.toString(),
                            "--force",
                            "-q")
                    .start();
            errs.add(KpsimProcess.drain(p.getErrorStream()));
            KpsimProcess.drain(p.getInputStream());
            runs.add(p);
        }
        int succeeded = 0;
        for (int i = 0; i < runs.size(); i++) {
            Process p = runs.get(i);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "run " + i + " ended");
            String err = errs.get(i).join();
            if (p.exitValue() == 0) {
                succeeded++;
                assertEquals("", err);
            } else {
                assertEquals(2, p.exitValue(), err);
                assertTrue(err.contains("is writing captures into this directory"), err);
            }
        }
        assertTrue(succeeded >= 1, "one run at least held the directory");
        assertEquals(listing(reference), listing(caps), "the same files, nothing else");
        for (String name : listing(caps)) {
            assertArrayEquals(
                    Files.readAllBytes(reference.resolve(name)),
                    Files.readAllBytes(caps.resolve(name)),
                    name + " is one run's capture, whole");
        }
    }

    @Test
    void aReadOnlyDirectoryIsNamedNotTheScenario() throws Exception {
        Path ro = dir.resolve("ro");
        Files.createDirectories(ro);
        KpsimProcess.Result existing;
        KpsimProcess.Result below;
        String reason;
        if (KpsimProcess.root()) {
            assumeTrue(KpsimProcess.works("unshare", "-m", "true"), "unshare -m (util-linux) is not available");
            existing = inTmpfs(ro, "ro,size=64k", false, null, "run", scenario(), "--pcap", ro.toString(), "-q");
            below = inTmpfs(
                    ro,
                    "ro,size=64k",
                    false,
                    null,
                    "run",
                    scenario(),
                    "--pcap",
                    ro.resolve("caps").toString(),
                    "-q");
            reason = "Read-only file system";
        } else {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
            existing = KpsimProcess.run(KpsimProcess.builder("run", scenario(), "--pcap", ro.toString(), "-q"), 120);
            below = KpsimProcess.run(
                    KpsimProcess.builder(
                            "run", scenario(), "--pcap", ro.resolve("caps").toString(), "-q"),
                    120);
            reason = "permission denied";
        }
        assertEquals(2, existing.code(), existing.err());
        assertEquals(
                "kpsim: --pcap: " + ro + ": cannot write captures into this directory (" + reason + ")\n",
                existing.err());
        assertEquals(2, below.code(), below.err());
        assertEquals(
                "kpsim: --pcap: " + ro.resolve("caps") + ": cannot create the capture directory (" + reason + ")\n",
                below.err());
    }

    @Test
    void aFullDiskNamesTheCaptureAndLeavesNoPartialFile() throws Exception {
        assumeRootNamespaces();
        Path mnt = dir.resolve("tiny");
        Files.createDirectories(mnt);
        KpsimProcess.Result r = inTmpfs(
                mnt,
                "size=128k",
                false,
                null,
                "run",
                RunCommandTest.scenario("congested-4.19").toString(),
                "--pcap",
                mnt.resolve("caps").toString(),
                "-q");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(
                r.err()
                        .matches("kpsim: --pcap: " + mnt.resolve("caps")
                                + ": cannot write the capture [a-z0-9.-]+\\.pcap"
                                + " \\(No space left on device\\); the unfinished captures are removed\\n"),
                r.err());
        assertEquals("", Files.readString(dir.resolve("listing")), "nothing is left on the full disk");
    }

    @Test
    void aFullDiskUnderStandardOutputIsSaid() throws Exception {
        assumeRootNamespaces();
        Path mnt = dir.resolve("tiny");
        Files.createDirectories(mnt);
        KpsimProcess.Result r =
                inTmpfs(mnt, "size=64k", true, mnt.resolve("out.json"), "run", scenario(), "--format", "json");
        assertEquals(2, r.code(), r.err());
        assertEquals("kpsim: cannot write standard output: No space left on device\n", r.err());
    }

    /** A scenario quick to run (so a test's time is not spent simulating). */
    private static String scenario() {
        return RunCommandTest.scenario("boom-4.19").toString();
    }

    /** kpsim in a private mount namespace whose {@code mnt} is a fresh tmpfs. */
    private KpsimProcess.Result inTmpfs(Path mnt, String options, boolean fill, Path stdout, String... args) {
        List<String> wrapper = List.of("unshare", "-m", "--propagation", "private", "sh", "-c", IN_TMPFS, "sh");
        ProcessBuilder b = new ProcessBuilder(KpsimProcess.command(wrapper, List.of(), args));
        b.environment().put("MNT", mnt.toString());
        b.environment().put("MOUNT_OPTIONS", options);
        b.environment().put("FILL", fill ? "1" : "");
        b.environment().put("STDOUT", stdout == null ? "" : stdout.toString());
        b.environment().put("LISTING", dir.resolve("listing").toString());
        KpsimProcess.Result r = KpsimProcess.run(b, 120);
        assertTrue(r.code() != 90, "mounting a tmpfs failed: " + r.err());
        return r;
    }

    private static void assumeRootNamespaces() {
        assumeTrue(KpsimProcess.root(), "needs root to mount a small tmpfs (in a private mount namespace)");
        assumeTrue(KpsimProcess.works("unshare", "-m", "true"), "unshare -m (util-linux) is not available");
    }

    private static void awaitLock(Process p, Path caps) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "the first run is still running");
            if (Files.exists(caps.resolve(".kpsim-pcap.lock"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the first run did not claim " + caps + " within 60 s");
    }

    private static List<String> listing(Path caps) throws IOException {
        return InterruptTest.listing(caps);
    }
}
