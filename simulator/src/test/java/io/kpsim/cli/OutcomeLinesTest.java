package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kpsim run}'s outcomes: one line per reset connection and per forged packet, the
 * connections per endpoint pod, in text and in JSON, and every count agreeing with the summary's
 * counters; {@code --all} tells every reset of the blog's kind in full.
 */
class OutcomeLinesTest {

    private static Cli run(String scenario, String... extra) {
        String[] args = new String[2 + extra.length];
        args[0] = "run";
        args[1] = RunCommandTest.scenario(scenario).toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        Cli r = Cli.run(args);
        assertEquals(0, r.exitCode(), r.err() + r.out());
        return r;
    }

    private static long counter(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return Long.parseLong(m.group(1));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "blog-reset",
                "boom-4.19",
                "boom-6.18",
                "congested-4.19",
                "nodeport-host-path",
                "asymmetric-no-fix"
            })
    void everyResetAndForgedPacketHasOneLineAndTheCountsAgree(String scenario) {
        String json = run(scenario, "--format", "json").out();
        String text = run(scenario).out();
        long resets = counter(json, "reset");
        long injected = counter(json, "injected");
        long connections = counter(json, "connections");

        assertEquals(resets, count(json, "\"reset_by\":"), json);
        assertEquals(injected, count(json, "\"what\":"), json);
        assertEquals(resets, count(text, " accepted the RST\n"), text);
        assertEquals(resets > 0, text.contains("every reset (" + resets + "):\n"), text);
        assertEquals(injected > 0, text.contains("every forged packet (" + injected + "):\n"), text);

        Matcher e = Pattern.compile("\"connections\":(\\d+),\"closed\":(\\d+),\"reset\":(\\d+),\"open\":(\\d+)")
                .matcher(json);
        long served = 0;
        long resetServed = 0;
        int endpoints = 0;
        while (e.find()) {
            long c = Long.parseLong(e.group(1));
            assertEquals(c, Long.parseLong(e.group(2)) + Long.parseLong(e.group(3)) + Long.parseLong(e.group(4)));
            served += c;
            resetServed += Long.parseLong(e.group(3));
            endpoints++;
        }
        assertTrue(endpoints > 0, json);
        assertEquals(resets, resetServed, json);
        assertTrue(served >= connections, "SYNs served " + served + " < connections " + connections);
        Matcher line = Pattern.compile("\n  (\\S+) (\\S+): (\\d+) connections?, (\\d+) closed in order, (\\d+) reset")
                .matcher(text);
        long textServed = 0;
        while (line.find()) {
            textServed += Long.parseLong(line.group(3));
        }
        assertEquals(served, textServed, text);
    }

    @Test
    void theBlogsResetAndForgedSegmentInOneLineEach() {
        String text = run("blog-reset").out();
        assertTrue(
                text.contains("every reset (1):\n  0.014272s  client 10.244.1.2:48368 -> 10.96.0.10:80, endpoint server"
                        + " 10.244.2.2:8080: reset, server accepted the RST\n"),
                text);
        assertTrue(
                text.contains("  0.010000s  server: injection ABOVE_UPPER_BOUND on 10.244.2.2:8080<->10.244.1.2:48368;"
                        + " last node node-a: INVALID (\"SEQ is over the upper bound (over the window of the"
                        + " receiver)\"), NAT skipped; delivered: client: received: no socket: sent RST\n"),
                text);
        assertTrue(
                text.contains(
                        "  server 10.244.2.2:8080: 10 connections, 9 closed in order, 1 reset, 0 open at the end\n"),
                text);
    }

    @Test
    void allTellsEveryResetInFull() {
        String one = run("boom-4.19").out();
        String all = run("boom-4.19", "--all").out();
        assertEquals(1, count(one, "told as the blog's five packets:"), one);
        assertEquals(29, count(all, "told as the blog's five packets:"), all);
        assertTrue(all.contains("\nReset 29 (client's connection, at 58.000020s)"), all);
        assertEquals(29, count(all, "\n(5) "), all);
        assertFalse(all.contains("Reset 30 "), all);
        // The counters and the one-line outcomes do not change with --all.
        assertEquals(one.substring(one.indexOf("every reset (")), all.substring(all.indexOf("every reset (")));
    }
}
