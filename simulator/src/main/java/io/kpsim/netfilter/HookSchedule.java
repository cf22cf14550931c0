package io.kpsim.netfilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What runs at one hook, in order ({@code struct nf_hook_entries}): the programs of every rule
 * language sorted by priority, and the kernel's own functions at theirs: conntrack's lookup at
 * PREROUTING and OUTPUT ({@link HookPriority#CONNTRACK}), the NAT core ({@link HookPriority#NAT_DST}
 * at PREROUTING and OUTPUT, {@link HookPriority#NAT_SRC} at INPUT and POSTROUTING, present once
 * any nat program is registered, as {@code nf_nat_register_fn()} registers all four), and
 * conntrack's confirmation at POSTROUTING and INPUT ({@link HookPriority#CONNTRACK_CONFIRM}).
 *
 * <p>Among equal priorities the later registered entry runs first ({@code nf_hook_entries_grow()}
 * inserts before the first entry whose priority is not lower). The kernel's functions count as
 * registered before every program, and programs in the order given (iptables tables, then other
 * rule languages in their creation order).
 */
final class HookSchedule {

    /** Entry kinds. */
    enum Kind {
        /** A filter-type program. */
        PROGRAM,
        /** {@code nf_conntrack_in()}. */
        CONNTRACK,
        /** The NAT core with its nat programs. */
        NAT,
        /** {@code __nf_conntrack_confirm()}. */
        CONFIRM
    }

    private final Kind[] kinds;
    private final HookProgram[] programs;
    private final HookProgram[] natPrograms;
    /** {@link #kinds} without the trivial programs: what a packet runs. */
    private final Kind[] runKinds;
    /** {@link #programs} without the trivial ones, beside {@link #runKinds}. */
    private final HookProgram[] runPrograms;

    private HookSchedule(Kind[] kinds, HookProgram[] programs, HookProgram[] natPrograms) {
        this.kinds = kinds;
        this.programs = programs;
        this.natPrograms = natPrograms;
        int live = 0;
        for (int i = 0; i < kinds.length; i++) {
            live += skipped(kinds[i], programs[i]) ? 0 : 1;
        }
        this.runKinds = new Kind[live];
        this.runPrograms = new HookProgram[live];
        for (int i = 0, k = 0; i < kinds.length; i++) {
            if (!skipped(kinds[i], programs[i])) {
                runKinds[k] = kinds[i];
                runPrograms[k++] = programs[i];
            }
        }
    }

    /**
     * Whether a packet skips the entry: a program that can change nothing ({@link
     * HookProgram#trivial()}: an empty base chain with policy ACCEPT, such as every built-in chain of
     * the mangle table, which holds only kube-proxy's unreferenced KUBE-PROXY-CANARY chain). The walk
     * never ran such a program (its verdict is ACCEPT and it counts nothing here), so leaving it out
     * of the run changes no result and saves a call per entry and packet.
     */
    private static boolean skipped(Kind kind, HookProgram program) {
        return kind == Kind.PROGRAM && program.trivial();
    }

    /** How many entries a packet runs at this hook (trivial programs left out). */
    int size() {
        return runKinds.length;
    }

    /** The kind of run entry {@code i}. */
    Kind kind(int i) {
        return runKinds[i];
    }

    /** The program of run entry {@code i} (a {@link Kind#PROGRAM}), else {@code null}. */
    HookProgram program(int i) {
        return runPrograms[i];
    }

    /** The nat programs, in the order the NAT core runs them. */
    HookProgram[] natPrograms() {
        return natPrograms;
    }

    /** One schedule per hook ({@link Hook#ordinal()}) for {@code registered}, in registration order. */
    static HookSchedule[] build(List<HookProgram> registered) {
        boolean anyNat = false;
        for (HookProgram p : registered) {
            anyNat |= p.nat();
        }
        HookSchedule[] out = new HookSchedule[Hook.values().length];
        for (Hook h : Hook.values()) {
            List<Slot> slots = new ArrayList<>();
            List<Slot> nat = new ArrayList<>();
            int order = 0;
            if (h == Hook.PREROUTING || h == Hook.OUTPUT) {
                slots.add(new Slot(HookPriority.CONNTRACK, order++, Kind.CONNTRACK, null));
            }
            if (anyNat && h != Hook.FORWARD) {
                int prio = h.manip() == NatManip.DST ? HookPriority.NAT_DST : HookPriority.NAT_SRC;
                slots.add(new Slot(prio, order++, Kind.NAT, null));
            }
            if (h == Hook.POSTROUTING || h == Hook.INPUT) {
                slots.add(new Slot(HookPriority.CONNTRACK_CONFIRM, order++, Kind.CONFIRM, null));
            }
            for (HookProgram p : registered) {
                if (p.hook() != h) {
                    continue;
                }
                Slot s = new Slot(p.priority(), order++, Kind.PROGRAM, p);
                (p.nat() ? nat : slots).add(s);
            }
            // Priority, then the later registration first. A lambda of ours: the class-data archive
            // keeps it, where Comparator's combinators spin classes while the run starts.
            Comparator<Slot> byPriority = (a, b) -> a.priority() != b.priority()
                    ? Integer.compare(a.priority(), b.priority())
                    : Integer.compare(b.order(), a.order());
            slots.sort(byPriority);
            nat.sort(byPriority);
            Kind[] kinds = new Kind[slots.size()];
            HookProgram[] programs = new HookProgram[slots.size()];
            for (int i = 0; i < slots.size(); i++) {
                kinds[i] = slots.get(i).kind();
                programs[i] = slots.get(i).program();
            }
            HookProgram[] natPrograms = new HookProgram[nat.size()];
            for (int i = 0; i < nat.size(); i++) {
                natPrograms[i] = nat.get(i).program();
            }
            out[h.ordinal()] = new HookSchedule(kinds, programs, natPrograms);
        }
        return out;
    }

    private record Slot(int priority, int order, Kind kind, HookProgram program) {}

    /** E.g. {@code conntrack -200, ip kube-proxy -110, NAT -100 [nat, ip kube-proxy], mangle -150}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < kinds.length; i++) {
            s.append(i == 0 ? "" : ", ");
            switch (kinds[i]) {
                case PROGRAM -> s.append(programs[i].label()).append(' ').append(programs[i].priority());
                case CONNTRACK -> s.append("conntrack");
                case NAT -> {
                    s.append("NAT [");
                    for (int k = 0; k < natPrograms.length; k++) {
                        s.append(k == 0 ? "" : ", ")
                                .append(natPrograms[k].label())
                                .append(' ')
                                .append(natPrograms[k].priority());
                    }
                    s.append(']');
                }
                case CONFIRM -> s.append("confirm");
            }
        }
        return s.toString();
    }
}
