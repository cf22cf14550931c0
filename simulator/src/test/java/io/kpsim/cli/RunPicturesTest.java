package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kpsim run --html}, {@code --svg} and {@code --compare-fixes} as users call them, bad input included. */
class RunPicturesTest {

    private static Cli run(String... args) {
        return Cli.run(args);
    }

    private static String scenario(String name) {
        return RunCommandTest.scenario(name).toString();
    }

    @Test
    void htmlAndSvgAreWrittenBesideTheTextReport(@TempDir Path dir) throws IOException {
        Path html = dir.resolve("boom.html");
        Path svg = dir.resolve("slides");
        Cli r = run("run", scenario("boom-4.19"), "--html", html.toString(), "--svg", svg.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("told as the blog's five packets"), "the text report is unchanged");
        assertTrue(r.out().contains("pictures: " + html), r.out());
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("class=\"kp-fig kp-ladder\""));
        assertFalse(page.contains("http://") && page.contains("src=\"http"), "nothing is loaded from the network");
        try (Stream<Path> files = Files.list(svg)) {
            assertEquals(
                    List.of("ladder.svg", "window-plot.svg"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        String ladder = Files.readString(svg.resolve("ladder.svg"));
        assertTrue(ladder.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns="), ladder);
        assertTrue(ladder.contains("<style>"), "a standalone file carries its stylesheet");
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void jsonOutputStaysPureJson(@TempDir Path dir) {
        Cli r = run(
                "run",
                scenario("boom-4.19"),
                "--format",
                "json",
                "--html",
                dir.resolve("r.html").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().trim().startsWith("{") && r.out().trim().endsWith("}"), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("r.html")));
    }

    @Test
    void quietRunsStillDrawThePictures(@TempDir Path dir) throws IOException {
        Cli r = run(
                "run",
                scenario("boom-4.19"),
                "--quiet",
                "--html",
                dir.resolve("q.html").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, r.out().lines().count(), "only the counters: " + r.out());
        assertTrue(r.out().contains(": connections "), r.out());
        assertTrue(Files.readString(dir.resolve("q.html")).contains("data-step=\"5\""), "the story is drawn");
    }

    @Test
    void compareFixesShowsThreeLaddersOfTheSamePacket(@TempDir Path dir) throws IOException {
        Path html = dir.resolve("cmp.html");
        Cli r = run("run", scenario("boom-4.19"), "--html", html.toString(), "--compare-fixes", "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        String page = Files.readString(html);
        assertTrue(page.contains("<section id=\"compare\">"), "a compare section");
        assertEquals(3, page.split("<figure class=\"variant\"", -1).length - 1);
        assertTrue(page.contains("data-resets=\"0\""), "a fix prevents the resets");
        assertTrue(page.contains("<strong>be_liberal</strong>"));
        assertTrue(page.contains("<strong>INVALID drop</strong>"));
        assertTrue(page.contains("DROPPED"), "the INVALID drop's ladder shows the drop");
    }

    @Test
    void badPictureTargetsAreOneLineErrorsBeforeTheRun(@TempDir Path dir) throws IOException {
        Cli alone = run("run", scenario("boom-4.19"), "--compare-fixes");
        assertEquals(2, alone.exitCode());
        assertEquals(
                "kpsim: --compare-fixes: needs --html FILE or --svg DIR to show the comparison",
                alone.err().trim());

        Cli isDir = run("run", scenario("boom-4.19"), "--html", dir.toString());
        assertEquals(2, isDir.exitCode());
        assertTrue(isDir.err().startsWith("kpsim: --html: " + dir), isDir.err());
        assertEquals(1, isDir.errLines().length, isDir.err());

        Cli noDir = run(
                "run",
                scenario("boom-4.19"),
                "--html",
                dir.resolve("missing/r.html").toString());
        assertEquals(2, noDir.exitCode());
        assertTrue(noDir.err().contains("does not exist"), noDir.err());

        Cli device = run("run", scenario("boom-4.19"), "--html", "/dev/null");
        assertEquals(2, device.exitCode());
        assertTrue(device.err().contains("is not a regular file"), device.err());
        assertTrue(Files.exists(Path.of("/dev/null")));

        Path file = Files.writeString(dir.resolve("plain"), "x");
        Cli svgOnFile = run("run", scenario("boom-4.19"), "--svg", file.toString());
        assertEquals(2, svgOnFile.exitCode());
        assertTrue(svgOnFile.err().contains("exists and is not a directory"), svgOnFile.err());
        assertEquals("x", Files.readString(file), "nothing was overwritten");
    }
}
