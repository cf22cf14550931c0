package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code kpsim kernels}: the profiles, one kernel's switches and mapping, two kernels' differences, bad input. */
class KernelsCommandTest {

    @Test
    void listsTheNineProfilesWithTheirPins() {
        Cli cli = Cli.run("kernels");
        assertEquals(0, cli.exitCode(), cli.err());
        for (String pin : new String[] {
            "4.14.280", "4.19.255", "5.4.286", "5.10.265", "5.15.167", "6.1.175", "6.6.150", "6.12.19", "6.18.2"
        }) {
            assertTrue(cli.out().contains("Linux " + pin), pin + " in:\n" + cli.out());
        }
    }

    @Test
    void differenceBetween419And618NamesTheWindowIgnoreCommit() {
        Cli cli = Cli.run("kernels", "4.19", "6.18");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("Linux 6.18.2 (6.18) only: tcp_window_ignore"), cli.out());
        assertTrue(cli.out().contains("6e250dcbff1d"), cli.out());
        assertTrue(cli.out().contains("differ in "), cli.out());
        Cli same = Cli.run("kernels", "6.18", "6.18.2");
        assertTrue(same.out().contains("do not differ"), same.out());
    }

    @Test
    void aUnameStringSaysWhichProfileAndThatDistributionsBackport() {
        Cli cli = Cli.run("kernels", "5.15.0-91-generic");
        assertEquals(0, cli.exitCode(), cli.err());
        String first = cli.out().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("5.15.0-91-generic: Ubuntu kernel built from Linux 5.15.y"), first);
        assertTrue(first.contains("profile 5.15 (Linux 5.15.167)"), first);
        assertTrue(first.contains("backported fixes"), first);
        assertTrue(cli.out().contains("from 5.15.68: tcp_window_overshoot"), cli.out());
        Cli debian = Cli.run("kernels", "Debian 4.19.181-1");
        assertTrue(
                debian.out().contains("modelled as profile 4.19 (Linux 4.19.255), which differs from 4.19.181"),
                debian.out());
    }

    @Test
    void badKernelsAreOneLineErrors() {
        Cli old = Cli.run("kernels", "3.10.0-1160.el7");
        assertEquals(2, old.exitCode());
        assertEquals(1, old.errLines().length, old.err());
        assertTrue(old.err().contains("older than the oldest profile (4.14)"), old.err());
        Cli junk = Cli.run("kernels", "6.18", "banana");
        assertEquals(2, junk.exitCode());
        assertTrue(junk.err().contains("second KERNEL: unknown kernel 'banana'"), junk.err());
    }
}
