package io.kpsim.cli;

import io.kpsim.conntrack.profile.KernelChoice;
import io.kpsim.conntrack.profile.KernelTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kpsim kernels [A [B]]}: the kernel profiles kpsim models, one kernel's behaviour switches
 * (with how a {@code uname -r} string maps to a profile), or the switches in which two kernels
 * differ, each with its upstream commit and the releases that have it
 * ({@link io.kpsim.conntrack.profile.Switch}). Nothing runs.
 */
@Command(
        name = "kernels",
        mixinStandardHelpOptions = true,
        description = {
            "List the kernel profiles; with one kernel, its behaviour switches; with two, the switches",
            "in which they differ. A kernel is a profile (4.19, 6.18) or a uname -r string (5.15.0-91-generic)."
        })
final class KernelsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..2", paramLabel = "KERNEL", description = "A profile or a uname -r string.")
    List<String> kernels = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> lines;
        if (kernels.isEmpty()) {
            lines = KernelTable.profiles();
        } else if (kernels.size() == 1) {
            lines = KernelTable.kernel(resolve(kernels.get(0), "KERNEL"));
        } else {
            lines = KernelTable.difference(
                    resolve(kernels.get(0), "first KERNEL"), resolve(kernels.get(1), "second" + " KERNEL"));
        }
        lines.forEach(out::println);
        out.flush();
        return ExitCode.OK;
    }

    private static KernelChoice resolve(String text, String which) {
        try {
            return KernelChoice.resolve(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(which + ": " + e.getMessage());
        }
    }
}
