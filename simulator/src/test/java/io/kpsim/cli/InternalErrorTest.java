package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.ClassType;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A failure inside the model is a kpsim bug, never the user's mistake: exit 3, one line that says
 * so, with the version, the command line, the scenario and the seed.
 *
 * <p>No input makes the model fail (that would be the bug to fix), so the test makes it fail from
 * outside, in the shipped code, unchanged: kpsim runs in its own JVM under the Java debug wire
 * protocol, and the test, as a debugger (JDI), stops it in {@code Simulation.runFor} and either
 * hands the engine a negative duration (its own invariant then throws an
 * {@code IllegalArgumentException}, the very exception once reported as "scenario.yaml: ...") or
 * throws an {@code Error} in the running thread.
 */
class InternalErrorTest {

    private static final Pattern LISTENING = Pattern.compile("Listening for transport dt_socket at address: (\\d+)");

    /** What the debugger does when the run reaches {@code Simulation.runFor}. */
    private interface Fault {
        void inject(VirtualMachine vm, ThreadReference thread) throws Exception;
    }

    private static Path scenario() {
        return RunCommandTest.scenario("blog-reset");
    }

    @Test
    void anInvariantFailureInTheEngineIsABugReportedWithWhatReproducesIt() throws Exception {
        KpsimProcess.Result r = runWithFault(
                (vm, thread) -> {
                    StackFrame frame = thread.frame(0);
                    LocalVariable duration = frame.visibleVariableByName("durationNanos");
                    frame.setValue(duration, vm.mirrorOf(-5L));
                },
                "run",
                scenario().toString(),
                "--seed",
                "7",
                "-q");
        assertEquals(3, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        String line = r.errLines().get(0);
        assertTrue(
                line.startsWith("kpsim: internal error (a kpsim bug, not a problem with your input):"
                        + " IllegalArgumentException: run duration -5 ns is negative."),
                line);
        assertTrue(
                line.contains("kpsim development build, command line: kpsim run " + scenario() + " --seed 7 -q;"
                        + " scenario " + scenario() + ", seed 7."),
                line);
        assertTrue(line.endsWith("KPSIM_DEBUG=1 shows the stack trace."), line);
        assertFalse(line.startsWith(scenario().toString()), "not blamed on the scenario file");
        assertFalse(r.err().contains("\tat "), "no stack trace without KPSIM_DEBUG");
    }

    @Test
    void kpsimDebugAddsTheStackTrace() throws Exception {
        KpsimProcess.Result r = runWithFault(
                Map.of("KPSIM_DEBUG", "1"),
                (vm, thread) -> {
                    StackFrame frame = thread.frame(0);
                    frame.setValue(frame.visibleVariableByName("durationNanos"), vm.mirrorOf(-5L));
                },
                "run",
                scenario().toString(),
                "-q");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.errLines().get(0).startsWith("kpsim: internal error (a kpsim bug"), r.err());
        assertTrue(r.err().contains("\tat io.kpsim.engine.Simulation.runFor("), r.err());
    }

    @Test
    void anErrorThrownInTheModelIsABugToo() throws Exception {
        KpsimProcess.Result r = runWithFault(
                (vm, thread) -> thread.stop(newInstance(vm, thread, "java.lang.StackOverflowError")),
                "run",
                scenario().toString(),
                "-q");
        assertEquals(3, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(
                r.err()
                        .startsWith("kpsim: internal error (a kpsim bug, not a problem with your input):"
                                + " StackOverflowError. Please report it"),
                r.err());
        assertTrue(r.err().contains("scenario " + scenario() + ", seed 1."), r.err());
    }

    @Test
    void runningOutOfMemorySaysSoAndHowToGiveMore() throws Exception {
        KpsimProcess.Result r = runWithFault(
                (vm, thread) -> thread.stop(newInstance(vm, thread, "java.lang.OutOfMemoryError")),
                "run",
                scenario().toString(),
                "-q");
        assertEquals(3, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("kpsim: out of memory: the Java heap's limit is "), r.err());
        assertTrue(
                r.err().contains("MiB; scenario " + scenario() + ", seed 1; give it more with KPSIM_JAVA_OPTS=-Xmx"),
                r.err());
    }

    private static ObjectReference newInstance(VirtualMachine vm, ThreadReference thread, String type)
            throws Exception {
        ClassType c = (ClassType) vm.classesByName(type).get(0);
        Method constructor = c.concreteMethodByName("<init>", "()V");
        return c.newInstance(thread, constructor, List.of(), ClassType.INVOKE_SINGLE_THREADED);
    }

    /** Runs kpsim under a debugger that applies {@code fault} at the first {@code Simulation.runFor}. */
    private static KpsimProcess.Result runWithFault(Fault fault, String... args) throws Exception {
        return runWithFault(Map.of(), fault, args);
    }

    private static KpsimProcess.Result runWithFault(Map<String, String> env, Fault fault, String... args)
            throws Exception {
        List<String> command = KpsimProcess.command(
                List.of(), List.of("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0"), args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("KPSIM_DEBUG");
        builder.environment().putAll(env);
        Process p = builder.start();
        CompletableFuture<String> err = KpsimProcess.drain(p.getErrorStream());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher m = LISTENING.matcher(first == null ? "" : first);
            assertTrue(m.find(), "the debug agent's address, got: " + first);
            CompletableFuture<String> rest = KpsimProcess.drain(p.getInputStream());
            VirtualMachine vm = attach(m.group(1));
            boolean injected = debug(vm, fault);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kpsim ended");
            assertTrue(injected, "the fault was injected");
            return new KpsimProcess.Result(p.exitValue(), rest.join(), err.join());
        } finally {
            p.destroyForcibly();
        }
    }

    private static VirtualMachine attach(String port) throws Exception {
        AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> c.name().equals("com.sun.jdi.SocketAttach"))
                .findFirst()
                .orElseThrow();
        Map<String, Connector.Argument> arguments = socket.defaultArguments();
        arguments.get("hostname").setValue("127.0.0.1");
        arguments.get("port").setValue(port);
        return socket.attach(arguments);
    }

    /** Resumes the VM, applies {@code fault} once, and follows it to its end. */
    private static boolean debug(VirtualMachine vm, Fault fault) throws Exception {
        ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
        prepare.addClassFilter("io.kpsim.engine.Simulation");
        prepare.enable();
        vm.resume();
        boolean injected = false;
        while (true) {
            EventSet events = vm.eventQueue().remove(120_000);
            if (events == null) {
                throw new AssertionError("no debug event for 120 s");
            }
            for (Event e : events) {
                if (e instanceof ClassPrepareEvent prepared) {
                    Method runFor =
                            prepared.referenceType().methodsByName("runFor").get(0);
                    BreakpointRequest at = vm.eventRequestManager().createBreakpointRequest(runFor.location());
                    at.enable();
                } else if (e instanceof BreakpointEvent hit && !injected) {
                    fault.inject(vm, hit.thread());
                    injected = true;
                    hit.request().disable();
                } else if (e instanceof VMDeathEvent || e instanceof VMDisconnectEvent) {
                    return injected;
                }
            }
            events.resume();
        }
    }
}
