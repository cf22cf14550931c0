package io.kpsim.netfilter;

/**
 * {@code -m statistic --mode nth [!] --every n [--packet p]} ({@code statistic_mt()} in
 * {@code net/netfilter/xt_statistic.c}, {@code XT_STATISTIC_MODE_NTH}): one counter per rule.
 * {@code libxt_statistic} stores {@code u.nth.every = n - 1} and
 * {@code u.nth.count = (n - 1) - p}, {@code statistic_mt_check()} starts the shared counter at
 * that count, and each packet reaching the match advances it
 * ({@code nval = oval == every ? 0 : oval + 1}) and matches when it becomes 0. So the packet
 * numbered {@code p} (0-based) of every group of {@code n} matches: {@code --every 3 --packet 0}
 * matched the 1st and 4th packet on a 6.18 kernel (trace-cases.md, section C.8). The counter is the
 * node's own ({@link XtNetns}).
 *
 * @param every {@code --every}, at least 1
 * @param packet {@code --packet}, below {@code every}
 * @param negated {@code ! --every}
 */
public record StatisticNthMatch(int every, int packet, boolean negated) implements Match {

    /** Validates as {@code statistic_mt_check()} and {@code libxt_statistic} do. */
    public StatisticNthMatch {
        if (every < 1 || packet < 0 || packet >= every) {
            throw new IllegalArgumentException("-m statistic: --packet " + packet + " must be below --every " + every);
        }
    }

    /** The counter at load ({@code u.nth.count}). */
    long initialCount() {
        return every - 1 - packet;
    }

    @Override
    public boolean matches(Skb skb) {
        long[] count = skb.xt().ruleState(this, 1, s -> s[0] = initialCount());
        count[0] = count[0] == every - 1 ? 0 : count[0] + 1;
        return (count[0] == 0) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m statistic --mode nth")
                .append(negated ? " ! " : " ")
                .append("--every ")
                .append(every)
                .append(" --packet ")
                .append(packet);
    }
}
