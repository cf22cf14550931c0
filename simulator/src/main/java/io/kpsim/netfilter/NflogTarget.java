package io.kpsim.netfilter;

/**
 * {@code -j NFLOG [--nflog-group N] [--nflog-prefix P] [--nflog-size N] [--nflog-threshold N]}
 * ({@code nflog_tg()} in {@code net/netfilter/xt_NFLOG.c}): hands a copy of the packet to the
 * netlink log group and continues. kpsim records the hit (group and prefix) in the trace and the
 * rule's counters. {@code iptables-save} prints prefix, group, size, threshold, in that order,
 * omitting defaults (group 0, no size, threshold 1).
 *
 * @param group {@code --nflog-group}
 * @param prefix {@code --nflog-prefix}, possibly empty
 * @param size {@code --nflog-size}, or -1
 * @param threshold {@code --nflog-threshold}
 */
public record NflogTarget(int group, String prefix, int size, int threshold) implements Target {

    @Override
    public TargetKind kind() {
        return TargetKind.NFLOG;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j NFLOG");
        if (!prefix.isEmpty()) {
            out.append(" --nflog-prefix ");
            RuleText.quote(out, prefix);
        }
        if (group != 0) {
            out.append(" --nflog-group ").append(group);
        }
        if (size >= 0) {
            out.append(" --nflog-size ").append(size);
        }
        if (threshold != 1) {
            out.append(" --nflog-threshold ").append(threshold);
        }
    }

    /** Reads NFLOG's options ({@code libxt_NFLOG}). */
    static NflogTarget parse(RuleWords words) {
        int group = 0;
        String prefix = "";
        int size = -1;
        int threshold = 1;
        for (String o = words.nextOption(); o != null; o = words.nextOption()) {
            switch (o) {
                case "--nflog-group" -> group = RuleWords.number(words.value(o), o, 0, 0xffff);
                case "--nflog-prefix" -> {
                    prefix = words.value(o);
                    if (prefix.length() > 63) {
                        throw new IllegalArgumentException("--nflog-prefix must be at most 63 characters");
                    }
                }
                case "--nflog-size", "--nflog-range" -> size = RuleWords.number(words.value(o), o);
                case "--nflog-threshold" -> threshold = RuleWords.number(words.value(o), o, 1, 0xffff);
                default -> throw new IllegalArgumentException("NFLOG option '" + o + "' unknown");
            }
        }
        return new NflogTarget(group, prefix, size, threshold);
    }
}
