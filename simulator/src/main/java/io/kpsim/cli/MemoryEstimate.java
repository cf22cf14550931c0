package io.kpsim.cli;

import io.kpsim.cluster.RunEstimate;
import io.kpsim.scenario.Scenario;

/**
 * What the CLI says about a scenario's estimated size ({@link RunEstimate}): {@code validate}
 * prints it for every file, and {@code run} refuses to start a run whose estimated peak memory
 * exceeds the Java heap ({@link Runtime#maxMemory()}), saying how to override the refusal or how
 * much heap to give Java, instead of running out of memory minutes later.
 */
final class MemoryEstimate {

    /** The {@code kpsim run} option that starts a run whatever its estimate. */
    static final String OVERRIDE = "--ignore-memory-estimate";

    private MemoryEstimate() {}

    /** {@code validate}'s words after {@code ok (NAME)}: the estimate, and whether {@code run} would refuse it. */
    static String describe(RunEstimate estimate, long heapBytes) {
        String line = estimate.describe();
        if (estimate.peakMemoryBytes() > heapBytes) {
            line += " (more than the Java heap of " + RunEstimate.bytes(heapBytes) + ": kpsim run refuses it without "
                    + OVERRIDE + ")";
        }
        return line;
    }

    /**
     * Refuses a run that would not fit in {@code heapBytes}.
     *
     * @throws UserError naming the estimate, the heap and the two ways out
     */
    static void check(Scenario scenario, RunEstimate estimate, long heapBytes) {
        if (estimate.peakMemoryBytes() <= heapBytes) {
            return;
        }
        long gib = (estimate.peakMemoryBytes() * 5 / 4 + (1L << 30) - 1) >> 30;
        throw new UserError(scenario.source() + ": " + estimate.describe() + ", more than the Java heap of "
                + RunEstimate.bytes(heapBytes) + "; run it anyway with " + OVERRIDE + ", or give Java more heap"
                + " (KPSIM_JAVA_OPTS=-Xmx" + gib + "g ./kpsim run ...)");
    }
}
