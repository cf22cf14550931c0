package io.kpsim.conntrack.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@code kpsim kernels}: the profiles, one kernel's switches, or the switches in which
 * two kernels differ, each with the upstream commit and the releases that have it, so a user can
 * answer "does my kernel have this behaviour?" and "would a newer kernel help?" without reading
 * the sources. Plain lines, no colour; deterministic.
 */
public final class KernelTable {

    private KernelTable() {}

    /** {@code kpsim kernels}: one line per profile, then how to ask for more. */
    public static List<String> profiles() {
        List<String> out = new ArrayList<>();
        out.add("profile  pinned release  switches  run by");
        for (KernelProfile p : KernelProfile.all()) {
            out.add(String.format(
                    "%-8s %-15s %3d/%-5d %s",
                    p.label(), "Linux " + p.release(), p.switches().size(), Switch.values().length, p.runBy()));
        }
        out.add("");
        out.add("default: " + KernelProfile.defaultProfile().label() + " (the kernel the oracle verifies against)."
                + " --kernel and spec.kernel also take a uname -r string (5.15.0-91-generic, 6.1.0-27-amd64);");
        out.add("'kpsim kernels K' lists K's switches and how a uname -r maps; 'kpsim kernels A B' the switches"
                + " in which A and B differ.");
        return out;
    }

    /** {@code kpsim kernels K}: how the text maps, then every switch with K's value. */
    public static List<String> kernel(KernelChoice choice) {
        List<String> out = new ArrayList<>();
        KernelProfile p = choice.profile();
        Kernel k = choice.upstream() != null ? Kernel.at(choice.upstream()) : p;
        if (!choice.isLabel()) {
            out.add(choice.summary());
            choice.details().forEach(d -> out.add("  " + d));
            out.add("");
        }
        out.add("profile " + p.label() + " = Linux " + p.release() + " (" + p.runBy() + ")");
        if (k != p) {
            out.add("switches of Linux " + k.release() + " (+ has, - lacks):");
        } else {
            out.add("switches (+ has, - lacks):");
        }
        for (Switch s : Switch.values()) {
            out.add((k.has(s) ? "  + " : "  - ") + s.name().toLowerCase(java.util.Locale.ROOT) + ": " + s.title());
            out.add("      " + s.citation() + "; " + s.releases());
        }
        List<String> inside = insideLine(p);
        if (!inside.isEmpty()) {
            out.add("");
            out.add("inside " + p.label() + ".y (stable backports; releases before or after the pin differ):");
            out.addAll(inside);
        }
        return out;
    }

    /** {@code kpsim kernels A B}: the switches A and B differ in, oldest change first. */
    public static List<String> difference(KernelChoice a, KernelChoice b) {
        Kernel ka = a.upstream() != null ? Kernel.at(a.upstream()) : a.profile();
        Kernel kb = b.upstream() != null ? Kernel.at(b.upstream()) : b.profile();
        List<String> out = new ArrayList<>();
        for (KernelChoice c : List.of(a, b)) {
            if (!c.isLabel()) {
                out.add(c.summary());
            }
        }
        String na = name(ka);
        String nb = name(kb);
        int differ = 0;
        for (Switch s : Switch.values()) {
            if (ka.has(s) == kb.has(s)) {
                continue;
            }
            differ++;
            out.add((ka.has(s) ? na : nb) + " only: " + s.name().toLowerCase(java.util.Locale.ROOT) + ": " + s.title());
            out.add("    " + s.citation() + "; " + s.releases() + "; " + s.code());
        }
        out.add(
                differ == 0
                        ? na + " and " + nb + " do not differ in any switch kpsim knows"
                        : na + " and " + nb + " differ in " + differ + " of " + Switch.values().length + " switches");
        return out;
    }

    /** The switches whose stable backport lands inside {@code p}'s line, before or after the pin. */
    static List<String> insideLine(KernelProfile p) {
        List<String> out = new ArrayList<>();
        for (Switch s : Switch.values()) {
            s.backportTo(p.release())
                    .ifPresent(b -> out.add("  from " + b + (p.has(s) ? "" : " (after the pin)") + ": "
                            + s.name().toLowerCase(java.util.Locale.ROOT)));
        }
        return out;
    }

    private static String name(Kernel k) {
        return "Linux " + k.release() + (k instanceof KernelProfile p ? " (" + p.label() + ")" : "");
    }
}
