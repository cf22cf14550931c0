package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The story's TCP numbers: relative to each side's initial sequence number by default (said once,
 * as Wireshark does), absolute with {@code --absolute-seq}; the kernel's log line keeps the
 * kernel's absolute numbers either way.
 */
class StoryNumbersTest {

    private static final Pattern NUMBERS = Pattern.compile("(seq|ack) (\\d+)(?::(\\d+))?");

    private static String run(String... extra) {
        String[] args = new String[2 + extra.length];
        args[0] = "run";
        args[1] = RunCommandTest.scenario("blog-reset").toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        Cli r = Cli.run(args);
        assertEquals(0, r.exitCode(), r.err() + r.out());
        return r.out();
    }

    @Test
    void relativeByDefaultAbsoluteOnRequestAndTheKernelLineUnchanged() {
        String relative = run();
        String absolute = run("--absolute-seq");
        assertTrue(relative.contains("(TCP numbers are relative to each side's initial sequence number"), relative);
        assertFalse(absolute.contains("TCP numbers are relative"), absolute);
        // The client's RST carries the ACK of the forged segment: 101 after a 100-byte request.
        assertTrue(relative.contains("Flags [R], seq 101, win 0"), relative);
        assertTrue(relative.contains("server receives the RST with seq 101, exactly its RCV.NXT"), relative);
        assertTrue(absolute.contains("Flags [R], seq 1595646796, win 0"), absolute);
        String kernel = "SEQ=1315426081 ACK=1595646796";
        assertTrue(relative.contains(kernel), relative);
        assertTrue(absolute.contains(kernel), absolute);

        // Line by line (the note aside), every number differs from its absolute one by one of the
        // two ISNs, and the RST's by the client's.
        String[] rel =
                relative.replaceAll("\\(TCP numbers are relative[^\n]*\n", "").split("\n");
        String[] abs = absolute.split("\n");
        assertEquals(abs.length, rel.length);
        Set<Long> bases = new TreeSet<>();
        int compared = 0;
        for (int i = 0; i < abs.length; i++) {
            if (abs[i].contains("kernel log") || !abs[i].contains("Flags [")) {
                continue;
            }
            Matcher a = NUMBERS.matcher(abs[i]);
            Matcher r = NUMBERS.matcher(rel[i]);
            while (a.find()) {
                assertTrue(r.find(), rel[i]);
                bases.add((Long.parseLong(a.group(2)) - Long.parseLong(r.group(2))) & 0xffffffffL);
                compared++;
            }
        }
        assertTrue(compared >= 10, "compared " + compared);
        assertEquals(2, bases.size(), "ISNs " + bases);
        assertTrue(bases.contains((1595646796L - 101) & 0xffffffffL), "client ISN in " + bases);
    }
}
