package io.kpsim.netfilter.nftables;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The protocol dependencies nft adds and hides ({@code payload_dependency_kill()} in nftables'
 * {@code src/payload.c}, {@code stmt_evaluate_reject()} in {@code src/evaluate.c}), applied to a
 * parsed rule so that kpsim holds it in the form {@code nft list} prints:
 *
 * <ul>
 *   <li>{@code tcp dport 80} already checks the protocol, so a {@code meta l4proto tcp} or
 *       {@code ip protocol tcp} match before it (with only matches in between) is dropped;
 *       {@code meta l4proto tcp th dport 80} becomes {@code tcp dport 80};</li>
 *   <li>in an {@code inet} table {@code meta nfproto ipv4} before an {@code ip} field is dropped
 *       the same way;</li>
 *   <li>{@code reject with tcp reset} checks {@code meta l4proto tcp} itself: in {@code ip} and
 *       {@code ip6} tables an explicit check before it is hidden, in {@code inet} tables the check
 *       is shown, and added at the front of the rule when the rule has none.</li>
 * </ul>
 */
final class Dependencies {

    private static final int TCP = 6;
    private static final int UDP = 17;

    private Dependencies() {}

    /** The rule's statements with dependencies dropped or added as nft does. */
    static List<Statement> normalize(
            List<Statement> statements, NftFamily family, Map<Object, Token> positions, Cursor in) {
        List<Statement> out = new ArrayList<>(statements);
        boolean[] removed = new boolean[out.size()];
        int l4dep = -1;
        int nfdep = -1;
        boolean tcpSeen = false;
        int transport = -1;
        int network = -1;
        for (int i = 0; i < out.size(); i++) {
            Statement s = out.get(i);
            if (s instanceof RejectStmt r && r.type() == RejectStmt.Type.TCP_RESET) {
                if (l4dep >= 0 && protocolOf(out.get(l4dep)) == TCP) {
                    if (family != NftFamily.INET) {
                        removed[l4dep] = true;
                    }
                    tcpSeen = true;
                }
                if (family == NftFamily.INET && !tcpSeen) {
                    out.add(0, new MatchStmt(new MetaExpr(MetaExpr.Key.L4PROTO), false, new Rhs.Value(proto(TCP))));
                    boolean[] shifted = new boolean[removed.length + 1];
                    System.arraycopy(removed, 0, shifted, 1, removed.length);
                    removed = shifted;
                    i++;
                    nfdep = nfdep >= 0 ? nfdep + 1 : -1;
                    tcpSeen = true;
                }
            }
            if (!(s instanceof MatchStmt) && !(s instanceof VmapStmt)) {
                l4dep = -1;
                nfdep = -1;
                continue;
            }
            Expr left = s instanceof MatchStmt m ? m.left() : ((VmapStmt) s).key();
            for (Expr part : left instanceof ConcatExpr c ? c.parts() : List.of(left)) {
                if (!(part instanceof PayloadExpr p)) {
                    continue;
                }
                int fixes = switch (p.header()) {
                    case TCP -> TCP;
                    case UDP -> UDP;
                    default -> -1;
                };
                if (fixes >= 0) {
                    if (transport >= 0 && transport != fixes) {
                        throw in.error(
                                positions.get(s),
                                "conflicting protocols specified: " + Protocols.name(transport) + " vs. "
                                        + Protocols.name(fixes));
                    }
                    transport = fixes;
                }
                int family6 = p.header() == PayloadExpr.Header.IP ? 2 : p.header() == PayloadExpr.Header.IP6 ? 10 : -1;
                if (family6 >= 0) {
                    if (network >= 0 && network != family6) {
                        throw in.error(positions.get(s), "conflicting protocols specified: ip vs. ip6");
                    }
                    network = family6;
                }
                switch (p.header()) {
                    case TCP, UDP -> {
                        int want = p.header() == PayloadExpr.Header.TCP ? TCP : UDP;
                        tcpSeen |= want == TCP;
                        if (l4dep >= 0) {
                            int have = protocolOf(out.get(l4dep));
                            if (have != want) {
                                StringBuilder dep = new StringBuilder();
                                out.get(l4dep).print(dep, family);
                                throw in.error(
                                        positions.get(s),
                                        "conflicting protocols specified: '" + dep + "' and '" + p.text() + "'");
                            }
                            removed[l4dep] = true;
                            l4dep = -1;
                        }
                    }
                    case TH -> {
                        if (l4dep >= 0 && left == p && s instanceof MatchStmt m) {
                            int have = protocolOf(out.get(l4dep));
                            if (have == TCP || have == UDP) {
                                PayloadExpr.Header h = have == TCP ? PayloadExpr.Header.TCP : PayloadExpr.Header.UDP;
                                MatchStmt converted =
                                        new MatchStmt(new PayloadExpr(h, p.field()), m.negated(), m.right());
                                positions.put(converted, positions.get(s));
                                out.set(i, converted);
                                removed[l4dep] = true;
                                l4dep = -1;
                                tcpSeen |= have == TCP;
                            }
                        }
                    }
                    case IP, IP6 -> {
                        if (nfdep >= 0 && nfprotoOf(out.get(nfdep)) == (p.header() == PayloadExpr.Header.IP ? 2 : 10)) {
                            removed[nfdep] = true;
                            nfdep = -1;
                        }
                    }
                }
            }
            if (protocolOf(s) >= 0) {
                if (transport >= 0 && transport != protocolOf(s)) {
                    throw in.error(
                            positions.get(s),
                            "conflicting protocols specified: " + Protocols.name(transport) + " vs. "
                                    + Protocols.name(protocolOf(s)));
                }
                transport = protocolOf(s);
                l4dep = i;
                tcpSeen |= protocolOf(s) == TCP;
            } else if (nfprotoOf(s) >= 0) {
                if (network >= 0 && network != nfprotoOf(s)) {
                    throw in.error(positions.get(s), "conflicting protocols specified: ip vs. ip6");
                }
                network = nfprotoOf(s);
                nfdep = i;
            }
        }
        List<Statement> result = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            if (!removed[i]) {
                result.add(out.get(i));
            }
        }
        return result;
    }

    private static Datum proto(int number) {
        return Datum.bigEndian(number, 1);
    }

    /** The protocol of a {@code meta l4proto X} / {@code ip protocol X} equality, else -1. */
    static int protocolOf(Statement s) {
        if (s instanceof MatchStmt m && !m.negated() && m.right() instanceof Rhs.Value v) {
            boolean l4 = m.left() instanceof MetaExpr me && me.key() == MetaExpr.Key.L4PROTO
                    || m.left() instanceof PayloadExpr p && p.field() == PayloadExpr.Field.PROTOCOL;
            if (l4) {
                return (int) v.value().bigEndianValue();
            }
        }
        return -1;
    }

    private static int nfprotoOf(Statement s) {
        if (s instanceof MatchStmt m
                && !m.negated()
                && m.right() instanceof Rhs.Value v
                && m.left() instanceof MetaExpr me
                && me.key() == MetaExpr.Key.NFPROTO) {
            return (int) v.value().hostOrderValue();
        }
        return -1;
    }

    /** Whether a match before gives a transport protocol (needed for a NAT port). */
    static boolean hasTransport(List<Statement> before) {
        for (Statement s : before) {
            Expr left = s instanceof MatchStmt m ? m.left() : s instanceof VmapStmt v ? v.key() : null;
            if (left == null) {
                continue;
            }
            for (Expr part : left instanceof ConcatExpr c ? c.parts() : List.of(left)) {
                if (part instanceof PayloadExpr p
                        && (p.header() == PayloadExpr.Header.TCP
                                || p.header() == PayloadExpr.Header.UDP
                                || p.field() == PayloadExpr.Field.PROTOCOL)) {
                    return true;
                }
                if (part instanceof MetaExpr me && me.key() == MetaExpr.Key.L4PROTO) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a match before fixes the transport protocol to something other than {@code number}. */
    static boolean transportIsNot(List<Statement> before, int number) {
        for (Statement s : before) {
            int p = protocolOf(s);
            if (p >= 0 && p != number) {
                return true;
            }
            if (s instanceof MatchStmt m
                    && !m.negated()
                    && m.left() instanceof MetaExpr me
                    && me.key() == MetaExpr.Key.L4PROTO
                    && m.right() instanceof Rhs.Lookup l
                    && l.set().anonymous() != null) {
                for (SetElement e : l.set().anonymous().elements()) {
                    if (e.low().bigEndianValue() != number || !e.isPoint()) {
                        return true;
                    }
                }
            }
            if (s instanceof MatchStmt m && m.left() instanceof PayloadExpr pe) {
                if (pe.header() == PayloadExpr.Header.UDP && number != UDP
                        || pe.header() == PayloadExpr.Header.TCP && number != TCP) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A bare {@code reject}: port-unreachable of the table's family; in {@code inet}, of the family
     * a match before fixed ({@code ip} or {@code ip6} field, {@code meta nfproto}), else icmpx.
     */
    static RejectStmt defaultReject(List<Statement> before, NftFamily family) {
        switch (family) {
            case IP -> {
                return RejectStmt.ICMP_PORT;
            }
            case IP6 -> {
                return RejectStmt.ICMPV6_PORT;
            }
            case INET -> {
                for (Statement s : before) {
                    int nf = nfprotoOf(s);
                    if (nf == 2) {
                        return RejectStmt.ICMP_PORT;
                    }
                    if (nf == 10) {
                        return RejectStmt.ICMPV6_PORT;
                    }
                    Expr left = s instanceof MatchStmt m ? m.left() : s instanceof VmapStmt v ? v.key() : null;
                    if (left == null) {
                        continue;
                    }
                    for (Expr part : left instanceof ConcatExpr c ? c.parts() : List.of(left)) {
                        if (part instanceof PayloadExpr p && p.header() == PayloadExpr.Header.IP) {
                            return RejectStmt.ICMP_PORT;
                        }
                        if (part instanceof PayloadExpr p && p.header() == PayloadExpr.Header.IP6) {
                            return RejectStmt.ICMPV6_PORT;
                        }
                    }
                }
                return RejectStmt.ICMPX_PORT;
            }
        }
        throw new IllegalStateException("unreachable: " + family);
    }
}
