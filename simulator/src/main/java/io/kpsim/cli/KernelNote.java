package io.kpsim.cli;

import io.kpsim.conntrack.profile.KernelChoice;
import io.kpsim.scenario.Scenario;
import java.io.PrintWriter;

/**
 * The line {@code --kernel} prints on stderr when it was given a kernel version string ({@code uname -r},
 * Debian's {@code uname -v}, Ubuntu's version signature) instead of a profile label: which profile
 * models that kernel, and that a distribution kernel carries backported fixes ({@link KernelChoice}
 * words it). A profile label prints nothing: the user named what runs. A scenario's {@code spec.kernel}
 * written as a version string gets the same line, naming {@code spec.kernel} and the file.
 */
final class KernelNote {

    private KernelNote() {}

    /**
     * Prints how the scenario's {@code spec.kernel} was mapped when it was written as a version
     * string, unless {@code --kernel} replaced it ({@code overridden}; that option prints its own).
     */
    static void print(Scenario scenario, boolean overridden, PrintWriter err) {
        if (overridden) {
            return;
        }
        KernelChoice choice;
        try {
            choice = KernelChoice.resolve(scenario.spec().kernelText());
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!choice.isLabel()) {
            err.println("kpsim: " + scenario.source() + ": spec.kernel " + choice.summary());
            err.flush();
        }
    }

    /** Prints the mapping of {@code kernel} when it is a version string (a bad text is reported elsewhere). */
    static void print(String kernel, PrintWriter err) {
        if (kernel == null) {
            return;
        }
        KernelChoice choice;
        try {
            choice = KernelChoice.resolve(kernel);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!choice.isLabel()) {
            err.println("kpsim: --kernel " + choice.summary());
            err.flush();
        }
    }
}
