package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link NodeShell} on a plain {@code sh} (no namespace needed): output, exit codes, and the
 * deadline that keeps a hung command from hanging the oracle.
 */
class NodeShellTest {

    private static NodeShell shell(Duration timeout) {
        return new NodeShell("the test's shell", List.of("sh"), timeout);
    }

    @Test
    void runsCommandsOneAfterAnotherAndReturnsTheirOutput() {
        try (NodeShell sh = shell(Duration.ofSeconds(10))) {
            assertEquals("one\ntwo\n", sh.run("echo one; echo two"));
            assertEquals("", sh.run("true"));
            assertEquals("three\n", sh.run("echo three"));
        }
    }

    @Test
    void aFailingCommandNamesItsExitCodeAndTheShellGoesOn() {
        try (NodeShell sh = shell(Duration.ofSeconds(10))) {
            OracleException e = assertThrows(OracleException.class, () -> sh.run("exit_3() { return 3; }; exit_3"));
            assertEquals("'exit_3() { return 3; }; exit_3' in the test's shell failed (exit 3)", e.getMessage());
            assertEquals("after\n", sh.run("echo after"));
        }
    }

    @Test
    void aCommandThatHangsIsStoppedAtTheDeadline() {
        try (NodeShell sh = shell(Duration.ofMillis(300))) {
            long start = System.nanoTime();
            OracleException e = assertThrows(OracleException.class, () -> sh.run("sleep 30"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(
                    "'sleep 30' in the test's shell did not finish within 300 ms; the shell was stopped",
                    e.getMessage());
            assertTrue(millis < 10_000, "waited " + millis + " ms");
            // the shell is gone: the next command says so at once instead of waiting
            OracleException next = assertThrows(OracleException.class, () -> sh.run("echo late"));
            assertEquals(
                    "the shell in the test's shell is gone ('sleep 30' did not finish within 300 ms); cannot run"
                            + " 'echo late'",
                    next.getMessage());
        }
    }

    @Test
    void aShellThatEndsIsSaidSo() {
        try (NodeShell sh = shell(Duration.ofSeconds(10))) {
            OracleException e = assertThrows(OracleException.class, () -> sh.run("exit 0"));
            assertEquals("the shell in the test's shell ended while running 'exit 0'", e.getMessage());
            e = assertThrows(OracleException.class, () -> sh.run("echo late"));
            assertEquals(
                    "the shell in the test's shell is gone (it ended while running 'exit 0'); cannot run 'echo late'",
                    e.getMessage());
        }
    }
}
