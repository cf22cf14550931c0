package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;

/**
 * {@code -m recent} ({@code recent_mt()} in {@code net/netfilter/xt_recent.c}): a table of
 * addresses per {@code --name}, shared by every rule of the namespace naming it
 * ({@link RecentTable}), timed by the simulation clock in jiffies. {@code --set} adds or refreshes
 * the packet's source (destination with {@code --rdest}) under {@code --mask} and always matches;
 * {@code --rcheck} matches when the address is there (with {@code --seconds S}: seen within S
 * seconds; with {@code --hitcount H}: at least H such times; with {@code --rttl}: with this
 * packet's TTL); {@code --update} is rcheck that also stamps the address when it matches;
 * {@code --remove} matches when it was there and deletes it; {@code --reap} (with
 * {@code --seconds}) purges the least recently used address when it is stale. {@code !} inverts.
 * kube-proxy's session affinity is {@code --set} in KUBE-SEP and {@code --rcheck --seconds T
 * --reap} in KUBE-SVC. A forwarded packet's TTL counts one more ("use TTL as seen before
 * forwarding").
 *
 * @param mode {@link #SET}, {@link #CHECK}, {@link #UPDATE} or {@link #REMOVE}
 * @param seconds {@code --seconds}, 0 when absent
 * @param hitCount {@code --hitcount}, 0 when absent
 * @param reap {@code --reap}
 * @param rttl {@code --rttl}
 * @param name the table ({@code DEFAULT} when not given)
 * @param mask {@code --mask}
 * @param dest {@code --rdest} (else {@code --rsource})
 * @param negated {@code !}
 */
public record RecentMatch(
        int mode,
        int seconds,
        int hitCount,
        boolean reap,
        boolean rttl,
        String name,
        int mask,
        boolean dest,
        boolean negated)
        implements Match {

    /** {@code XT_RECENT_CHECK}. */
    public static final int CHECK = 1;
    /** {@code XT_RECENT_SET}. */
    public static final int SET = 1 << 1;
    /** {@code XT_RECENT_UPDATE}. */
    public static final int UPDATE = 1 << 2;
    /** {@code XT_RECENT_REMOVE}. */
    public static final int REMOVE = 1 << 3;

    /** The kernel's {@code HZ} on the machines kpsim models (Debian's and Ubuntu's CONFIG_HZ=250). */
    public static final long HZ = 250;

    /** {@code jiffies} at simulation time {@code nanos}. */
    static long jiffies(long nanos) {
        return Math.floorDiv(nanos, 1_000_000_000L / HZ);
    }

    @Override
    public boolean matches(Skb skb) {
        RecentTable t = skb.xt().recent(name);
        int address = (dest ? skb.packet().dstIp() : skb.packet().srcIp()) & mask;
        int ttl = skb.packet().ttl();
        if (skb.outInterface() != null && skb.inInterface() != null) {
            ttl = (ttl + 1) & 0xff; // a forwarded packet: "use TTL as seen before forwarding"
        }
        long now = jiffies(skb.now());
        boolean ret = negated;
        RecentTable.Entry e = t.lookup(address, rttl ? ttl : 0);
        if (e == null) {
            if (mode != SET) {
                return ret;
            }
            t.add(address, ttl, now);
            return !ret;
        }
        if (mode == SET) {
            ret = !ret;
        } else if (mode == REMOVE) {
            t.remove(e);
            return !ret;
        } else {
            long time = now - seconds * HZ;
            int hits = 0;
            for (int i = 0; i < e.nstamps; i++) {
                if (seconds != 0 && time - e.stamps[i] > 0) {
                    continue;
                }
                if (hitCount == 0 || ++hits >= hitCount) {
                    ret = !ret;
                    break;
                }
            }
            if (reap) {
                t.reap(time, e, mode == UPDATE && ret);
            }
        }
        if (mode == SET || (mode == UPDATE && ret)) {
            t.update(e, now);
            e.ttl = ttl;
        }
        return ret;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m recent").append(negated ? " !" : "");
        out.append(
                switch (mode) {
                    case SET -> " --set";
                    case CHECK -> " --rcheck";
                    case UPDATE -> " --update";
                    default -> " --remove";
                });
        if (seconds != 0) {
            out.append(" --seconds ").append(seconds);
        }
        if (reap) {
            out.append(" --reap");
        }
        if (hitCount != 0) {
            out.append(" --hitcount ").append(hitCount);
        }
        if (rttl) {
            out.append(" --rttl");
        }
        out.append(" --name ").append(name).append(" --mask ").append(Ip4.format(mask));
        out.append(dest ? " --rdest" : " --rsource");
    }

    /** Reads {@code -m recent}'s options ({@code libxt_recent}, revision 1), checked as {@code recent_mt_check()}. */
    static final class Options extends ModuleBuilder {
        private int mode;
        private int seconds;
        private int hitCount;
        private boolean reap;
        private boolean rttl;
        private String name = "DEFAULT";
        private int mask = -1;
        private boolean dest;
        private boolean negated;

        @Override
        String name() {
            return "recent";
        }

        @Override
        boolean accepts(String o) {
            return switch (o) {
                case "--set",
                        "--rcheck",
                        "--update",
                        "--remove",
                        "--seconds",
                        "--reap",
                        "--hitcount",
                        "--rttl",
                        "--name",
                        "--mask",
                        "--rsource",
                        "--rdest" -> true;
                default -> false;
            };
        }

        @Override
        void option(String o, boolean neg, RuleWords words, RuleSoFar rule) {
            switch (o) {
                case "--set", "--rcheck", "--update", "--remove" -> {
                    if (mode != 0) {
                        throw new IllegalArgumentException(
                                "recent: only one of --set, --rcheck, --update or --remove may be given");
                    }
                    mode = switch (o) {
                        case "--set" -> SET;
                        case "--rcheck" -> CHECK;
                        case "--update" -> UPDATE;
                        default -> REMOVE;
                    };
                    negated = neg;
                    return;
                }
                default -> noNegate(neg, o);
            }
            switch (o) {
                case "--seconds" -> seconds = RuleWords.number(words.value(o), o, 1, Integer.MAX_VALUE);
                case "--hitcount" -> hitCount = RuleWords.number(words.value(o), o, 1, 255);
                case "--reap" -> reap = true;
                case "--rttl" -> rttl = true;
                case "--name" -> name = words.value(o);
                case "--mask" -> mask = TargetParser.address(words.value(o), o);
                case "--rsource" -> dest = false;
                default -> dest = true;
            }
        }

        @Override
        Match build(RuleSoFar rule) {
            if (mode == 0) {
                throw new IllegalArgumentException(
                        "recent: you must specify one of --set, --rcheck, --update or --remove");
            }
            if ((mode == SET || mode == REMOVE) && (seconds != 0 || hitCount != 0 || reap || rttl)) {
                throw new IllegalArgumentException(
                        "recent: --seconds, --hitcount, --reap and --rttl go with --rcheck or --update only");
            }
            if (reap && seconds == 0) {
                throw new IllegalArgumentException("recent: --reap needs --seconds");
            }
            if (name.isEmpty() || name.length() >= 200 || name.contains("/") || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("recent: bad table name '" + name + "'");
            }
            return new RecentMatch(mode, seconds, hitCount, reap, rttl, name, mask, dest, negated);
        }
    }
}
