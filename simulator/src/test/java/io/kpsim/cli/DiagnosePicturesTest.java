package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kpsim diagnose --html FILE} and {@code --svg DIR} on the capture {@code kpsim run --pcap}
 * writes of boom-4.19 at node-a: the page's numbers are the text's, the files are written whole,
 * and bad targets are refused in one line before any capture is read.
 */
class DiagnosePicturesTest {

    static final String BOOM_SERVICE = "10.96.0.20:9000=10.244.2.2:9000";

    @TempDir
    static Path dir;

    private static Path capture;

    @BeforeAll
    static void capture() {
        Path caps = dir.resolve("caps");
        Cli run = Cli.run("run", RunCommandTest.scenario("boom-4.19").toString(), "--pcap", caps.toString(), "-q");
        assertEquals(0, run.exitCode(), run.err());
        capture = caps.resolve("node-a.before-nat.pcap");
    }

    private static Cli diagnose(String... more) {
        List<String> args = new java.util.ArrayList<>(
                List.of("diagnose", "--service", BOOM_SERVICE, "--kernel", "4.19", capture.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    /** The value of the counter row {@code name} in a page. */
    private static long counter(String page, String name) {
        Matcher m = Pattern.compile(
                        "<tr data-counter=\"" + Pattern.quote(name) + "\"><td>[^<]*</td><td class=\"num\">(\\d+)<")
                .matcher(page);
        assertTrue(m.find(), name + " in the page");
        return Long.parseLong(m.group(1));
    }

    private static String escaped(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    @Test
    void thePagesNumbersAreTheTexts() throws IOException {
        Path html = dir.resolve("boom.html");
        Path svg = dir.resolve("slides");
        Cli r = diagnose("--html", html.toString(), "--svg", svg.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(
                r.out()
                        .endsWith("\npictures: " + html + ", " + svg.resolve("ladder.svg") + ", "
                                + svg.resolve("window-plot.svg") + "\n"),
                r.out());
        Cli plain = diagnose();
        assertEquals(plain.out(), r.out().substring(0, r.out().indexOf("\npictures: ")), "the text is unchanged");
        String page = Files.readString(html);
        String verdict = r.out().lines().findFirst().orElseThrow();
        assertTrue(page.contains(verdict), "the verdict line as the text prints it");
        Matcher numbers = Pattern.compile("\\((\\d+) packets, (\\d+) INVALID, (\\d+) connections\\)")
                .matcher(verdict);
        assertTrue(numbers.find(), verdict);
        assertEquals(Long.parseLong(numbers.group(1)), counter(page, "packets"));
        assertEquals(Long.parseLong(numbers.group(2)), counter(page, "invalid"));
        assertEquals(Long.parseLong(numbers.group(3)), counter(page, "connections"));
        for (String kind :
                List.of("invalid-reply-reset", "application-reset", "unexplained-reset", "prevented-reset")) {
            long inText = r.out().lines().filter(l -> l.startsWith(kind + ": ")).count();
            assertEquals(inText, counter(page, kind), kind);
        }
        assertEquals(29, counter(page, "invalid-reply-reset"), "boom resets all 29 connections");
        // the first finding's lines, as the text prints them
        for (String line : plain.out().lines().skip(2).limit(4).toList()) {
            assertTrue(page.contains(escaped(line.strip())), line);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        assertTrue(Files.readString(svg.resolve("ladder.svg")).contains("NAT skipped"));
    }

    @Test
    void jsonStaysPureJsonAndThePageIsStillWritten() throws IOException {
        Path html = dir.resolve("boom-json.html");
        Cli r = diagnose("--format", "json", "--html", html.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.out().startsWith("{"), r.out());
        assertTrue(Files.readString(html).startsWith("<!DOCTYPE html>"));
    }

    @Test
    void badTargetsAreRefusedInOneLineBeforeAnyCaptureIsRead() throws IOException {
        Path missing = dir.resolve("no-such-dir").resolve("r.html");
        Cli r = Cli.run(
                "diagnose",
                "--service",
                BOOM_SERVICE,
                dir.resolve("absent.pcap").toString(),
                "--html",
                missing.toString());
        assertEquals(2, r.exitCode());
        assertEquals("kpsim: --html: the directory of " + missing + " does not exist\n", r.err());
        Cli isDir = diagnose("--html", dir.toString());
        assertEquals(2, isDir.exitCode());
        assertEquals("kpsim: --html: " + dir + " is a directory; give a file name such as report.html\n", isDir.err());
        Cli device = diagnose("--html", "/dev/null");
        assertEquals(2, device.exitCode());
        assertEquals("kpsim: --html: /dev/null exists and is not a regular file\n", device.err());
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Cli svg = diagnose("--svg", file.toString());
        assertEquals(2, svg.exitCode());
        assertEquals("kpsim: --svg: " + file + " exists and is not a directory\n", svg.err());
        assertEquals("", r.out() + isDir.out() + device.out() + svg.out(), "nothing diagnosed");
    }
}
