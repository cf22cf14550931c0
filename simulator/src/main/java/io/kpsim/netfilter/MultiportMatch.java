package io.kpsim.netfilter;

import io.kpsim.packet.Protocol;

/**
 * {@code -m multiport [!] --sports|--dports|--ports LIST} ({@code multiport_mt()} and
 * {@code ports_match_v1()} in {@code net/netfilter/xt_multiport.c}, revision 1): up to 15 ports,
 * a range {@code a:b} counting as two, checked against the source port, the destination port, or
 * either. The kernel's {@code multiport_mt_check()} allows it only with {@code -p tcp} or
 * {@code -p udp} (also udplite, sctp, dccp, which kpsim does not carry) and not with {@code ! -p}.
 *
 * @param direction which port the list is checked against
 * @param lo each entry's lowest port
 * @param hi each entry's highest port (equal to {@code lo} for a single port)
 * @param negated {@code !}: the match inverts ({@code info->invert})
 */
public record MultiportMatch(Direction direction, int[] lo, int[] hi, boolean negated) implements Match {

    /** {@code XT_MULTI_PORTS}: the most ports one match holds (a range takes two). */
    public static final int MAX_PORTS = 15;

    /** Which port of the packet the list is checked against ({@code XT_MULTIPORT_*}). */
    public enum Direction {
        /** {@code --sports} ({@code XT_MULTIPORT_SOURCE}). */
        SOURCE,
        /** {@code --dports} ({@code XT_MULTIPORT_DESTINATION}). */
        DESTINATION,
        /** {@code --ports} ({@code XT_MULTIPORT_EITHER}). */
        EITHER;

        /** The option that names it, as iptables-save prints it. */
        public String option() {
            return switch (this) {
                case SOURCE -> "--sports";
                case DESTINATION -> "--dports";
                case EITHER -> "--ports";
            };
        }
    }

    /**
     * Parses {@code libxt_multiport}'s list: comma-separated ports and {@code a:b} ranges.
     *
     * @throws IllegalArgumentException naming the option and the bad entry
     */
    public static MultiportMatch parse(Direction direction, String list, boolean negated) {
        String[] items = list.split(",", -1);
        int[] lo = new int[items.length];
        int[] hi = new int[items.length];
        int slots = 0;
        for (int i = 0; i < items.length; i++) {
            String item = items[i];
            int colon = item.indexOf(':');
            lo[i] = port(colon < 0 ? item : item.substring(0, colon), direction);
            hi[i] = colon < 0 ? lo[i] : port(item.substring(colon + 1), direction);
            if (hi[i] < lo[i]) {
                throw new IllegalArgumentException(
                        "multiport " + direction.option() + ": range '" + item + "' is reversed");
            }
            slots += colon < 0 ? 1 : 2;
        }
        if (slots > MAX_PORTS) {
            throw new IllegalArgumentException(
                    "multiport " + direction.option() + ": too many ports specified (at most " + MAX_PORTS + ")");
        }
        return new MultiportMatch(direction, lo, hi, negated);
    }

    private static int port(String text, Direction direction) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 0xffff && !text.startsWith("+")) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below with the option
        }
        throw new IllegalArgumentException("multiport " + direction.option() + ": '" + text + "' is not a port");
    }

    @Override
    public boolean matches(Skb skb) {
        Protocol p = skb.packet().protocol();
        if (p != Protocol.TCP && p != Protocol.UDP) {
            return false;
        }
        int src = skb.packet().srcPort();
        int dst = skb.packet().dstPort();
        for (int i = 0; i < lo.length; i++) {
            boolean hit = switch (direction) {
                case SOURCE -> in(src, i);
                case DESTINATION -> in(dst, i);
                case EITHER -> in(src, i) || in(dst, i);
            };
            if (hit) {
                return !negated;
            }
        }
        return negated;
    }

    private boolean in(int port, int i) {
        return port >= lo[i] && port <= hi[i];
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m multiport")
                .append(negated ? " ! " : " ")
                .append(direction.option())
                .append(' ');
        for (int i = 0; i < lo.length; i++) {
            out.append(i == 0 ? "" : ",").append(lo[i]);
            if (hi[i] != lo[i]) {
                out.append(':').append(hi[i]);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiportMatch m
                && m.direction == direction
                && m.negated == negated
                && java.util.Arrays.equals(m.lo, lo)
                && java.util.Arrays.equals(m.hi, hi);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(direction, negated, java.util.Arrays.hashCode(lo), java.util.Arrays.hashCode(hi));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        save(b);
        return b.toString().trim();
    }

    /** Reads {@code -m multiport}: exactly one of {@code --sports}, {@code --dports}, {@code --ports}. */
    static final class Options extends ModuleBuilder {
        private MultiportMatch match;

        @Override
        String name() {
            return "multiport";
        }

        @Override
        boolean accepts(String option) {
            return switch (option) {
                case "--sports", "--source-ports", "--dports", "--destination-ports", "--ports" -> true;
                default -> false;
            };
        }

        @Override
        void option(String option, boolean negated, RuleWords words, RuleSoFar rule) {
            if (match != null) {
                throw new IllegalArgumentException("multiport can only have one option");
            }
            Direction d = switch (option) {
                case "--sports", "--source-ports" -> Direction.SOURCE;
                case "--dports", "--destination-ports" -> Direction.DESTINATION;
                default -> Direction.EITHER;
            };
            String list = words.value(option);
            if (!rule.is(io.kpsim.packet.Protocol.TCP) && !rule.is(io.kpsim.packet.Protocol.UDP)) {
                throw new IllegalArgumentException(
                        "multiport needs -p tcp or -p udp (the kernel's multiport_mt_check refuses others)");
            }
            match = parse(d, list, negated);
        }

        @Override
        Match build(RuleSoFar rule) {
            if (match == null) {
                throw new IllegalArgumentException("multiport needs one of --sports, --dports or --ports");
            }
            return match;
        }
    }
}
