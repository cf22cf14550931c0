package io.kpsim.netfilter;

/**
 * {@code -m addrtype [!] --src-type TYPES [!] --dst-type TYPES [--limit-iface-in|--limit-iface-out]}: the route type
 * of the source and destination addresses ({@code addrtype_mt_v1()} in {@code net/netfilter/xt_addrtype.c}, which
 * asks {@code inet_dev_addr_type()} in {@code net/ipv4/fib_frontend.c}). kube-proxy uses {@code --dst-type LOCAL} for
 * the jump to KUBE-NODEPORTS and {@code --src-type LOCAL} in KUBE-EXT chains to masquerade and route the node's own
 * traffic to an external IP.
 *
 * <p>The type of an address, as {@code __inet_dev_addr_type()} finds it: 0.0.0.0/8 and 255.255.255.255 are BROADCAST,
 * 224.0.0.0/4 MULTICAST, the node's addresses and 127.0.0.0/8 LOCAL, everything else UNICAST (an unrouted address is
 * UNICAST too). With a limit the LOCAL answer counts only if the address is on the packet's in (or out) device;
 * otherwise the kernel reports UNICAST. kpsim models no per-subnet broadcast addresses (its devices carry one address
 * without a prefix), so a subnet broadcast address is UNICAST here.
 *
 * @param source the {@code 1 << RTN_*} bits of {@code --src-type}, 0 when absent
 * @param sourceNegated {@code ! --src-type}
 * @param dest the bits of {@code --dst-type}, 0 when absent
 * @param destNegated {@code ! --dst-type}
 * @param limit {@link #NO_LIMIT}, {@link #LIMIT_IN} or {@link #LIMIT_OUT}
 */
public record AddrTypeMatch(int source, boolean sourceNegated, int dest, boolean destNegated, int limit)
        implements Match {

    /** No {@code --limit-iface-*}. */
    public static final int NO_LIMIT = 0;
    /** {@code --limit-iface-in}: only addresses on the incoming device count as LOCAL. */
    public static final int LIMIT_IN = 1;
    /** {@code --limit-iface-out}: only addresses on the outgoing device count as LOCAL. */
    public static final int LIMIT_OUT = 2;

    /** {@code rtn_names[]} of {@code libxt_addrtype.c}, indexed by {@code RTN_*}. */
    private static final String[] TYPES = {
        "UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
        "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"
    };

    private static final int RTN_UNICAST = 1;
    private static final int RTN_LOCAL = 2;
    private static final int RTN_BROADCAST = 3;
    private static final int RTN_MULTICAST = 5;

    /** {@code --dst-type LOCAL}, kube-proxy's KUBE-NODEPORTS jump. */
    public static AddrTypeMatch dstLocal(boolean negated) {
        return new AddrTypeMatch(0, false, 1 << RTN_LOCAL, negated, NO_LIMIT);
    }

    @Override
    public boolean matches(Skb skb) {
        String device = switch (limit) {
            case LIMIT_IN -> skb.inInterface();
            case LIMIT_OUT -> skb.outInterface();
            default -> null;
        };
        boolean ok = true;
        if (source != 0) {
            ok = ((type(skb, skb.packet().srcIp(), device) & source) != 0) != sourceNegated;
        }
        if (ok && dest != 0) {
            ok = ((type(skb, skb.packet().dstIp(), device) & dest) != 0) != destNegated;
        }
        return ok;
    }

    /** {@code 1 << inet_dev_addr_type(net, dev, address)}; {@code device} null is no limit. */
    private int type(Skb skb, int address, String device) {
        if ((address >>> 24) == 0 || address == -1) {
            return 1 << RTN_BROADCAST;
        }
        if ((address >>> 28) == 0xe) {
            return 1 << RTN_MULTICAST;
        }
        boolean local = device == null ? skb.isLocal(address) : skb.isLocalOn(address, device);
        return 1 << (local ? RTN_LOCAL : RTN_UNICAST);
    }

    /**
     * {@code addrtype_mt_checkentry_v1()}: the kernel refuses a limit to a device the hook does not have.
     *
     * @throws IllegalArgumentException with the kernel's words, naming the chain
     */
    void checkHook(Hook hook, String chain) {
        if (limit == LIMIT_IN && (hook == Hook.POSTROUTING || hook == Hook.OUTPUT)) {
            throw new IllegalArgumentException("-m addrtype in chain " + chain + " (reached from " + hook
                    + "): input interface limitation not valid in POSTROUTING and OUTPUT");
        }
        if (limit == LIMIT_OUT && (hook == Hook.PREROUTING || hook == Hook.INPUT)) {
            throw new IllegalArgumentException("-m addrtype in chain " + chain + " (reached from " + hook
                    + "): output interface limitation not valid in PREROUTING and INPUT");
        }
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m addrtype");
        if (source != 0) {
            out.append(sourceNegated ? " ! --src-type " : " --src-type ");
            types(out, source);
        }
        if (dest != 0) {
            out.append(destNegated ? " ! --dst-type " : " --dst-type ");
            types(out, dest);
        }
        if (limit == LIMIT_IN) {
            out.append(" --limit-iface-in");
        } else if (limit == LIMIT_OUT) {
            out.append(" --limit-iface-out");
        }
    }

    /** {@code print_types()}: the names in {@code RTN_*} order, comma-separated. */
    private static void types(StringBuilder out, int bits) {
        String sep = "";
        for (int i = 0; i < TYPES.length; i++) {
            if ((bits & (1 << i)) != 0) {
                out.append(sep).append(TYPES[i]);
                sep = ",";
            }
        }
    }

    /** Reads the options as {@code addrtype_parse_v1()} and {@code addrtype_check()} of {@code libxt_addrtype.c}. */
    static final class Options extends ModuleBuilder {
        private int source;
        private boolean sourceNegated;
        private int dest;
        private boolean destNegated;
        private int limit = NO_LIMIT;

        @Override
        String name() {
            return "addrtype";
        }

        @Override
        boolean accepts(String option) {
            return switch (option) {
                case "--src-type", "--dst-type", "--limit-iface-in", "--limit-iface-out" -> true;
                default -> false;
            };
        }

        @Override
        void option(String option, boolean neg, RuleWords words, RuleSoFar rule) {
            switch (option) {
                case "--src-type" -> {
                    if (source != 0) {
                        throw new IllegalArgumentException("-m addrtype: --src-type given twice");
                    }
                    source = parseTypes(words.value(option));
                    sourceNegated = neg;
                }
                case "--dst-type" -> {
                    if (dest != 0) {
                        throw new IllegalArgumentException("-m addrtype: --dst-type given twice");
                    }
                    dest = parseTypes(words.value(option));
                    destNegated = neg;
                }
                default -> {
                    noNegate(neg, option);
                    int l = option.equals("--limit-iface-in") ? LIMIT_IN : LIMIT_OUT;
                    if (limit != NO_LIMIT) {
                        throw new IllegalArgumentException(
                                "-m addrtype: only one of --limit-iface-in and --limit-iface-out");
                    }
                    limit = l;
                }
            }
        }

        private static int parseTypes(String value) {
            int bits = 0;
            for (String name : value.split(",", -1)) {
                int i = 0;
                while (i < TYPES.length && !TYPES[i].equalsIgnoreCase(name)) {
                    i++;
                }
                if (i == TYPES.length) {
                    throw new IllegalArgumentException(
                            "-m addrtype: bad address type '" + name + "' (one of " + String.join(", ", TYPES) + ")");
                }
                bits |= 1 << i;
            }
            return bits;
        }

        @Override
        Match build(RuleSoFar rule) {
            if (source == 0 && dest == 0) {
                throw new IllegalArgumentException("-m addrtype needs --src-type or --dst-type");
            }
            return new AddrTypeMatch(source, sourceNegated, dest, destNegated, limit);
        }
    }
}
