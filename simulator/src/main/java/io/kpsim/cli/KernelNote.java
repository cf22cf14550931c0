package io.kpsim.cli;

import io.kpsim.conntrack.profile.KernelChoice;
import java.io.PrintWriter;

/**
 * The line {@code --kernel} prints on stderr when it was given a kernel version string ({@code uname -r},
 * Debian's {@code uname -v}, Ubuntu's version signature) instead of a profile label: which profile
 * models that kernel, and that a distribution kernel carries backported fixes ({@link KernelChoice}
 * words it). A profile label prints nothing: the user named what runs.
 */
final class KernelNote {

    private KernelNote() {}

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
