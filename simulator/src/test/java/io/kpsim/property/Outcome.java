package io.kpsim.property;

import java.util.Objects;
import java.util.Set;

/**
 * What one run of a chain gave: the labels it reached if it passed, or the step it failed at and
 * how.
 *
 * <p>Two failures are "the same" when they throw the same exception class from the same line
 * ({@link #origin}: the first stack frame outside the JDK, JUnit and this harness). The shrinker
 * keeps only candidates that fail the same way, so it cannot slip from the bug it was given to
 * another one that a shorter chain happens to hit (an assertion's message, with its entry numbers
 * and counts, may change on the way; its line does not).
 *
 * @param failedStep the 0-based step that failed, {@code -1} for {@code start} or the first
 *     invariant check, or {@link #PASSED}
 * @param error what the step threw, or null
 * @param origin the line that threw, or null
 * @param reached the coverage labels of a passing run (empty for a failure)
 */
record Outcome(int failedStep, Throwable error, StackTraceElement origin, Set<String> reached) {

    static final int PASSED = Integer.MIN_VALUE;

    private static final String[] OUTSIDE = {"java.", "jdk.", "sun.", "org.junit.", "org.opentest4j."};

    /** Runs {@code chain} on a fresh machine, checking the invariants after every step. */
    static <C, S, M> Outcome run(StatefulSpec<C, S, M> spec, StepChain<C, S> chain) {
        int step = -1;
        try {
            M machine = spec.start(chain.config());
            spec.checkInvariants(machine);
            for (step = 0; step < chain.length(); step++) {
                spec.apply(machine, chain.steps().get(step));
                spec.checkInvariants(machine);
            }
            return new Outcome(PASSED, null, null, Set.copyOf(spec.reached(machine)));
        } catch (VirtualMachineError e) {
            if (e instanceof StackOverflowError) {
                return failed(step, e); // a runaway recursion in the code under test is a finding
            }
            throw e; // out of memory: nothing a chain can be blamed for
        } catch (Exception | AssertionError | LinkageError e) {
            return failed(step, e);
        }
    }

    private static Outcome failed(int step, Throwable e) {
        return new Outcome(step, e, origin(e), Set.of());
    }

    boolean passed() {
        return failedStep == PASSED;
    }

    /** Whether this run failed the way {@code first} did: same exception class, same line. */
    boolean failsLike(Outcome first) {
        return !passed() && error.getClass() == first.error.getClass() && Objects.equals(origin, first.origin);
    }

    /** The number of steps that ran, the failing one included. */
    int stepsRun() {
        return failedStep + 1;
    }

    /** The first frame of {@code e} in the code under test or the spec. */
    static StackTraceElement origin(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (!outside(frame.getClassName())) {
                return frame;
            }
        }
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length == 0 ? null : trace[0];
    }

    private static boolean outside(String className) {
        for (String prefix : OUTSIDE) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return isHarness(className);
    }

    /** This package's own classes (not the tests beside them, which are specs like any other). */
    private static boolean isHarness(String className) {
        for (Class<?> c : new Class<?>[] {Outcome.class, Shrinker.class, StatefulProperty.class, StepChain.class}) {
            if (className.equals(c.getName()) || className.startsWith(c.getName() + "$")) {
                return true;
            }
        }
        return false;
    }
}
