package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pcap4j logs through slf4j (bound to slf4j-nop) and loads libpcap through JNA; neither may print
 * anything to a kpsim user's terminal, on success or on any error. Checked in a fresh JVM so that
 * class loading and native library loading messages are seen too.
 */
class QuietnessTest {

    @TempDir
    Path dir;

    @Test
    void readingWritingAndFailingPrintNothing() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        QuietProbe.class.getName(),
                        dir.toString())
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe finished");
        assertEquals(0, p.exitValue(), "probe saw 2 records and 6 errors; stderr: " + err);
        assertEquals("", out, "stdout");
        assertEquals("", err, "stderr");
    }

    @Test
    void missingLibpcapIsOneLineNamingTheFix() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-Dorg.pcap4j.core.pcapLibName=kpsim-no-such-libpcap",
                        "-cp",
                        System.getProperty("java.class.path"),
                        QuietProbe.class.getName(),
                        dir.toString(),
                        "missing-libpcap")
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe finished");
        assertEquals("", err, "stderr");
        String any = dir.resolve("any.pcap").toString();
        String fix = ": libpcap is not installed (no library 'kpsim-no-such-libpcap' found); it is in the"
                + " Debian/Ubuntu package libpcap0.8: apt-get install libpcap0.8\n";
        // reading is plain Java and needs no libpcap (the probe's any.pcap is empty); writing does
        String empty = ": not a pcap or pcapng file (file header truncated)\n";
        assertEquals(any + empty + any + empty + dir.resolve("out.pcap") + fix, out);
    }
}
