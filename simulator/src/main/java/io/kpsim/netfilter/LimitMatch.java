package io.kpsim.netfilter;

import java.util.Locale;

/**
 * {@code -m limit [--limit N/UNIT] [--limit-burst B]} ({@code limit_mt()} in
 * {@code net/netfilter/xt_limit.c}): a token bucket per rule, full ({@code B} tokens) at load,
 * refilled in jiffies on the simulation clock; each match costs one token and without one the
 * rule does not match. The rate is stored as {@code avg = XT_LIMIT_SCALE * seconds-per-unit / N}
 * and credits are counted as the kernel counts them ({@code user2credits()},
 * {@code CREDITS_PER_JIFFY}), so the model lets through the packets the kernel would. The bucket
 * is the node's own ({@link XtNetns}); the default is {@code 3/hour}, burst 5.
 *
 * @param avg {@code r->avg}: the period between tokens in units of 1/10000 s
 * @param burst {@code --limit-burst}
 */
public record LimitMatch(long avg, int burst) implements Match {

    /** {@code XT_LIMIT_SCALE}. */
    static final long SCALE = 10000;

    private static final long HZ = RecentMatch.HZ;
    /** {@code CREDITS_PER_JIFFY}: {@code POW2_BELOW32(MAX_CPJ)}, {@code MAX_CPJ = 0xFFFFFFFF / (HZ*60*60*24)}. */
    static final long CREDITS_PER_JIFFY = Long.highestOneBit(0xFFFFFFFFL / (HZ * 60 * 60 * 24));

    private static final String[] UNITS = {"day", "hour", "min", "sec"};
    private static final long[] MULTS = {24 * 60 * 60 * SCALE, 60 * 60 * SCALE, 60 * SCALE, SCALE};

    /** Validates as {@code limit_mt_check()}. */
    public LimitMatch {
        if (avg < 1 || burst < 1 || credits(avg * burst) < credits(avg)) {
            throw new IllegalArgumentException("limit: Overflow, try lower: " + avg + "/" + burst);
        }
    }

    /** {@code user2credits()}. */
    static long credits(long user) {
        long u = user & 0xFFFFFFFFL; // u32 arithmetic, as the kernel's
        if (u > 0xFFFFFFFFL / (HZ * CREDITS_PER_JIFFY)) {
            return ((u / SCALE) * HZ * CREDITS_PER_JIFFY) & 0xFFFFFFFFL;
        }
        return ((u * HZ * CREDITS_PER_JIFFY) / SCALE) & 0xFFFFFFFFL;
    }

    @Override
    public boolean matches(Skb skb) {
        long cap = credits(avg * burst);
        long now = RecentMatch.jiffies(skb.now());
        // {credit, prev}: limit_mt_check() fills the bucket at load; kpsim loads at the packet's time
        long[] b = skb.xt().ruleState(this, 2, s -> {
            s[0] = cap;
            s[1] = now;
        });
        long credit = Math.min(cap, b[0] + Math.max(0, now - b[1]) * CREDITS_PER_JIFFY);
        b[1] = now;
        long cost = credits(avg);
        if (credit >= cost) {
            b[0] = credit - cost;
            return true;
        }
        b[0] = credit;
        return false;
    }

    @Override
    public void save(StringBuilder out) {
        int i = 1;
        for (; i < MULTS.length; i++) {
            if (avg > MULTS[i] || MULTS[i] / avg < MULTS[i] % avg) {
                break;
            }
        }
        out.append(" -m limit --limit ").append(MULTS[i - 1] / avg).append('/').append(UNITS[i - 1]);
        if (burst != 5) {
            out.append(" --limit-burst ").append(burst);
        }
    }

    /** {@code parse_rate()} of {@code libxt_limit}: {@code N[/second|minute|hour|day]} (any prefix of the unit). */
    static long avg(String text) {
        int slash = text.indexOf('/');
        String count = slash < 0 ? text : text.substring(0, slash);
        long mult = 1;
        if (slash >= 0) {
            String unit = text.substring(slash + 1).toLowerCase(Locale.ROOT);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("limit: bad rate '" + text + "'");
            } else if ("second".startsWith(unit)) {
                mult = 1;
            } else if ("minute".startsWith(unit)) {
                mult = 60;
            } else if ("hour".startsWith(unit)) {
                mult = 3600;
            } else if ("day".startsWith(unit)) {
                mult = 86400;
            } else {
                throw new IllegalArgumentException(
                        "limit: bad rate '" + text + "' (expected N/sec, /min, /hour or /day)");
            }
        }
        long r = RuleWords.number(count, "--limit", 1, Integer.MAX_VALUE);
        long val = SCALE * mult / r;
        if (val == 0) {
            throw new IllegalArgumentException("limit: rate too fast \"" + text + "\"");
        }
        return val;
    }

    /** Reads {@code -m limit}'s options. */
    static final class Options extends ModuleBuilder {
        private long avg = SCALE * 3600 / 3;
        private int burst = 5;

        @Override
        String name() {
            return "limit";
        }

        @Override
        boolean accepts(String o) {
            return o.equals("--limit") || o.equals("--limit-burst");
        }

        @Override
        void option(String o, boolean negated, RuleWords words, RuleSoFar rule) {
            noNegate(negated, o);
            if (o.equals("--limit")) {
                avg = avg(words.value(o));
            } else {
                burst = RuleWords.number(words.value(o), o, 1, 10000);
            }
        }

        @Override
        Match build(RuleSoFar rule) {
            return new LimitMatch(avg, burst);
        }
    }
}
