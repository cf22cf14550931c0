package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once the client's RST has closed the server's socket, the server answers every segment the client
 * still had in flight with a RST, and conntrack marks most of those INVALID ("invalid rst"). On the
 * blog's own capture they are part of the one INVALID-reply reset, counted in its finding, not
 * hundreds of unexplained resets of their own.
 */
class DiagnoseFollowUpResetsTest {

    @TempDir
    Path dir;

    @Test
    void theServersFollowUpResetsBelongToTheBugsFinding() {
        Path caps = dir.resolve("caps");
        Cli run = Cli.run("run", RunCommandTest.scenario("blog-reset").toString(), "--pcap", caps.toString(), "-q");
        assertEquals(0, run.exitCode(), run.err());
        Cli r = Cli.run(
                "diagnose",
                "--service",
                "10.96.0.10:80=10.244.2.2:8080",
                "--kernel",
                "4.19",
                caps.resolve("node-a.before-nat.pcap").toString());
        assertEquals(0, r.exitCode(), r.err());
        String verdict = r.out().lines().findFirst().orElseThrow();
        assertTrue(
                verdict.startsWith("yes: 1 reset is the conntrack INVALID-reply bug (invalid-reply-reset) ("), verdict);
        assertFalse(r.out().contains("unexplained-reset"), r.out());

        List<String> cited = r.out().lines().filter(l -> l.contains(".pcap#")).toList();
        assertEquals(4, cited.size(), r.out());
        assertTrue(cited.get(0).contains("INVALID reply, forwarded without reverse NAT"), cited.get(0));
        assertTrue(cited.get(1).contains("the client's RST to the pod IP"), cited.get(1));
        Matcher many = Pattern.compile("the first of (\\d+) RSTs the server sent, its connection gone, answering"
                        + " segments the client still had in flight: INVALID \\(invalid rst\\)")
                .matcher(cited.get(2));
        assertTrue(many.find(), cited.get(2));
        long followUps = Long.parseLong(many.group(1));
        assertTrue(followUps > 1, cited.get(2));
        assertTrue(cited.get(3).contains("the reset the client sees"), cited.get(3));
        assertTrue(
                r.out().contains("Meanwhile the server answered " + followUps + " segments the client still had"),
                r.out());
    }
}
