package io.kpsim.netfilter;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.NatLookup;
import io.kpsim.conntrack.Status;
import io.kpsim.conntrack.Tuple;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;

/**
 * NAT as {@code net/netfilter/nf_nat_core.c} and {@code nf_nat_proto.c} do it, at the four NAT
 * hook entries ({@code nf_nat_ipv4_fn()} → {@code nf_nat_inet_fn()} → {@code nf_nat_packet()}):
 *
 * <ul>
 *   <li>a packet without a conntrack (INVALID, UNTRACKED) is not NATed and the nat table is not
 *       even consulted ({@code if (!ct) return NF_ACCEPT});</li>
 *   <li>an ICMP error RELATED to a connection gets {@code nf_nat_icmp_reply_translation()}: the
 *       quoted header is rewritten with the other direction's tuple and the opposite manip, the
 *       outer header like a reply;</li>
 *   <li>for NEW packets whose manip is not set up yet, the nat programs registered at the hook
 *       (the iptables nat table, nftables nat chains) run in priority order until one sets up a
 *       binding ({@code nf_nat_inet_fn()} over the {@code nf_nat_register_fn()} entries); a
 *       DNAT/MASQUERADE target or statement calls {@code nf_nat_setup_info()}, and if none did,
 *       {@code nf_nat_alloc_null_binding()}
 *       binds the manip to the identity, remapping the source port when the reply tuple is
 *       already taken ({@code get_unique_tuple()}, {@code nf_nat_l4proto_unique_tuple()});</li>
 *   <li>then {@code nf_nat_packet()} rewrites the packet if the entry's {@code IPS_SRC_NAT} /
 *       {@code IPS_DST_NAT} bit for this hook's manip is set, the bit inverted for the reply
 *       direction, so a DNATed connection's replies get their <em>source</em> rewritten at
 *       POSTROUTING.</li>
 * </ul>
 *
 * <p>Not modelled: {@code find_appropriate_src()} (reusing an existing SNAT mapping of the same
 * source), NAT helpers and the out-interface-changed check for masqueraded connections.
 */
final class NatCore implements NatTargets, NatSetup {

    /** The packet's original-direction destination was rewritten (DNAT). */
    static final int APPLIED_DNAT = 1;
    /** The packet's original-direction source was rewritten (SNAT, MASQUERADE, port remap). */
    static final int APPLIED_SNAT = 1 << 1;
    /** A reply-direction packet was rewritten back (reverse NAT). */
    static final int APPLIED_REVERSE = 1 << 2;
    /** An ICMP error's quoted header was rewritten. */
    static final int APPLIED_INNER = 1 << 3;

    private final Conntrack conntrack;
    private final NatLookup lookup;
    private final PortSearch ports;
    /** 6.6.57 / 6.12: the original tuple is checked with {@code nf_nat_used_tuple_new()}. */
    private final boolean usedTupleNew;

    private final ToIntFunction<String> interfaceAddress;
    private long now;

    /**
     * @param interfaceAddress the primary address of a device, 0 when it has none ({@code inet_select_addr()})
     */
    NatCore(Conntrack conntrack, SplittableRandom random, ToIntFunction<String> interfaceAddress) {
        this.conntrack = conntrack;
        this.lookup = conntrack.natLookup();
        this.ports = new PortSearch(conntrack.kernel(), lookup, random);
        this.usedTupleNew = conntrack.kernel().has(Switch.NAT_USED_TUPLE_NEW);
        this.interfaceAddress = interfaceAddress;
    }

    /** Sets the clock for {@code nf_conntrack_tuple_taken()} look-ups of the packet at hand. */
    void now(long nowNanos) {
        this.now = nowNanos;
    }

    /**
     * {@code nf_nat_ipv4_fn()}: the NAT hook entry at {@code hook}.
     *
     * @param programs the nat programs registered at the hook, in the order they run
     * @param context what the programs run with
     * @param l4ChecksumValid false when the packet's layer-4 checksum is known to be wrong
     * @return true for NF_ACCEPT, false for NF_DROP
     */
    boolean hook(
            Skb skb,
            Hook hook,
            HookProgram[] programs,
            HookContext context,
            boolean l4ChecksumValid,
            List<TraceStep> trace) {
        int entry = skb.ctEntry();
        if (entry == Conntrack.NO_ENTRY) {
            return true;
        }
        CtState state = skb.ctState();
        CtDir dir = skb.ctDir();
        NatManip manip = hook.manip();
        if (state == CtState.RELATED
                && skb.packet().protocol() == Protocol.ICMP
                && skb.packet().icmp().quoted() != null) {
            return icmpReplyTranslation(skb, entry, dir, hook, l4ChecksumValid, trace);
        }
        if (state == CtState.NEW || state == CtState.RELATED) {
            if (!initialized(entry, manip)) {
                for (HookProgram p : programs) {
                    if (p.trivial()) {
                        continue;
                    }
                    if (!p.run(context)) {
                        return false;
                    }
                    if (initialized(entry, manip)) {
                        break;
                    }
                }
                if (!initialized(entry, manip)) {
                    allocNullBinding(entry, manip, hook, trace);
                }
            }
        }
        return natPacket(skb, entry, dir, hook, trace);
    }

    @Override
    public boolean dnat(Skb skb, Hook hook, int ip, int minPort, int maxPort, List<TraceStep> trace) {
        NatRange range = new NatRange(ip, minPort, maxPort, minPort != 0, false);
        return setupInfo(skb.ctEntry(), range, NatManip.DST, hook, trace);
    }

    @Override
    public boolean snat(
            Skb skb, Hook hook, int ip, int minPort, int maxPort, boolean randomPort, List<TraceStep> trace) {
        NatRange range = new NatRange(ip, minPort, maxPort, minPort != 0, randomPort);
        return setupInfo(skb.ctEntry(), range, NatManip.SRC, hook, trace);
    }

    @Override
    public boolean masquerade(Skb skb, Hook hook, int minPort, int maxPort, boolean randomPort, List<TraceStep> trace) {
        return masquerade(skb, hook, new NatRange(0, minPort, maxPort, minPort != 0, randomPort), trace);
    }

    @Override
    public boolean dnat(Skb skb, DnatTarget target, Hook hook, List<TraceStep> trace) {
        NatRange range = new NatRange(
                target.ip(),
                target.maxIp(),
                target.minPort(),
                target.maxPort(),
                target.minPort() != 0,
                target.random(),
                target.persistent());
        return setupInfo(skb.ctEntry(), range, NatManip.DST, hook, trace);
    }

    @Override
    public boolean redirect(Skb skb, RedirectTarget target, Hook hook, List<TraceStep> trace) {
        int newDst;
        if (hook == Hook.OUTPUT) {
            newDst = RedirectTarget.LOOPBACK;
        } else {
            String in = skb.inInterface();
            newDst = in == null ? 0 : interfaceAddress.applyAsInt(in);
            if (newDst == 0) {
                if (trace != null) {
                    trace.add(TraceStep.note(hook, "nat-core", "REDIRECT: " + in + " has no address: dropped"));
                }
                return false;
            }
        }
        NatRange range = new NatRange(newDst, target.minPort(), target.maxPort(), target.minPort() != 0, false);
        return setupInfo(skb.ctEntry(), range, NatManip.DST, hook, trace);
    }

    @Override
    public boolean snat(Skb skb, SnatTarget target, Hook hook, List<TraceStep> trace) {
        NatRange range = new NatRange(
                target.ip(),
                target.maxIp(),
                target.minPort(),
                target.maxPort(),
                target.minPort() != 0,
                target.random() || target.randomFully(),
                target.persistent());
        return setupInfo(skb.ctEntry(), range, NatManip.SRC, hook, trace);
    }

    @Override
    public boolean masquerade(Skb skb, MasqueradeTarget target, Hook hook, List<TraceStep> trace) {
        return masquerade(
                skb,
                hook,
                new NatRange(
                        0,
                        target.minPort(),
                        target.maxPort(),
                        target.minPort() != 0,
                        target.random() || target.randomFully()),
                trace);
    }

    /** {@code nf_nat_masquerade_ipv4()}: {@code ports} with the outgoing device's address. */
    private boolean masquerade(Skb skb, Hook hook, NatRange ports, List<TraceStep> trace) {
        int entry = skb.ctEntry();
        if (conntrack.tuple(entry, CtDir.ORIGINAL).srcIp() == 0) {
            return true;
        }
        String out = skb.outInterface();
        int newSrc = out == null ? 0 : interfaceAddress.applyAsInt(out);
        if (newSrc == 0) {
            if (trace != null) {
                trace.add(TraceStep.note(hook, "nat-core", out + " ate my IP address: dropped"));
            }
            return false;
        }
        NatRange range =
                new NatRange(newSrc, ports.minPort(), ports.maxPort(), ports.protoSpecified(), ports.randomAll());
        return setupInfo(entry, range, NatManip.SRC, hook, trace);
    }

    private boolean initialized(int entry, NatManip manip) {
        int done = manip == NatManip.SRC ? Status.SRC_NAT_DONE : Status.DST_NAT_DONE;
        return (conntrack.status(entry) & done) != 0;
    }

    /** {@code nf_nat_alloc_null_binding()}: bind to the address the reply tuple already has. */
    void allocNullBinding(int entry, NatManip manip, Hook hook, List<TraceStep> trace) {
        Tuple reply = conntrack.tuple(entry, CtDir.REPLY);
        int ip = manip == NatManip.SRC ? reply.dstIp() : reply.srcIp();
        setupInfo(entry, NatRange.address(ip), manip, hook, trace);
    }

    /** {@code nf_nat_setup_info()}. */
    boolean setupInfo(int entry, NatRange range, NatManip manip, Hook hook, List<TraceStep> trace) {
        int status = conntrack.status(entry);
        if ((status & Status.CONFIRMED) != 0) {
            return true;
        }
        if (initialized(entry, manip)) {
            return false;
        }
        Tuple current = conntrack.tuple(entry, CtDir.REPLY).invert();
        Tuple unique = uniqueTuple(current, range, entry, manip);
        if (!unique.equals(current)) {
            conntrack.alterReply(entry, unique.invert());
            conntrack.setStatus(entry, manip == NatManip.SRC ? Status.SRC_NAT : Status.DST_NAT);
            if (trace != null) {
                trace.add(TraceStep.note(
                        hook,
                        "nat-core",
                        (manip == NatManip.SRC ? "SNAT binding " : "DNAT binding ") + current + " => " + unique));
            }
        }
        conntrack.setStatus(entry, manip == NatManip.SRC ? Status.SRC_NAT_DONE : Status.DST_NAT_DONE);
        return true;
    }

    /** {@code get_unique_tuple()}. */
    private Tuple uniqueTuple(Tuple orig, NatRange range, int entry, NatManip manip) {
        if (manip == NatManip.SRC && !range.randomAll() && inRange(orig, range)) {
            boolean taken = usedTupleNew ? lookup.usedTupleNew(orig, entry, now) : used(orig, entry);
            if (!taken) {
                return orig;
            }
        }
        int chosen = !range.mapIps()
                ? (manip == NatManip.SRC ? orig.srcIp() : orig.dstIp())
                : range.bestIp(orig.srcIp(), orig.dstIp());
        Tuple tuple = manip == NatManip.SRC
                ? new Tuple(orig.protocol(), chosen, orig.srcPort(), orig.dstIp(), orig.dstPort())
                : new Tuple(orig.protocol(), orig.srcIp(), orig.srcPort(), chosen, orig.dstPort());
        if (!range.randomAll()) {
            if (range.protoSpecified()) {
                if (l4InRange(tuple, manip, range) && (range.minPort() == range.maxPort() || !used(tuple, entry))) {
                    return tuple;
                }
            } else if (!used(tuple, entry)) {
                return tuple;
            }
        }
        return ports.search(tuple, range, manip, entry, now);
    }

    /** {@code in_range()}: whether a source mapping to {@code t} satisfies the range. */
    private static boolean inRange(Tuple t, NatRange range) {
        if (range.mapIps() && !range.containsIp(t.srcIp())) {
            return false;
        }
        return !range.protoSpecified() || l4InRange(t, NatManip.SRC, range);
    }

    /** {@code l4proto_in_range()}. */
    private static boolean l4InRange(Tuple t, NatManip manip, NatRange range) {
        int key = switch (t.protocol()) {
            case ICMP -> t.srcPort();
            case TCP, UDP -> manip == NatManip.SRC ? t.srcPort() : t.dstPort();
            case OTHER -> -1;
        };
        return key < 0 || (key >= range.minPort() && key <= range.maxPort());
    }

    /** {@code nf_nat_used_tuple()}: is the reply of {@code t} already in the table? */
    private boolean used(Tuple t, int entry) {
        return lookup.usedTuple(t, entry, now);
    }

    /** {@code nf_nat_packet()}: rewrite if this hook's manip (inverted for replies) is bound. */
    private boolean natPacket(Skb skb, int entry, CtDir dir, Hook hook, List<TraceStep> trace) {
        NatManip manip = hook.manip();
        int statusbit = statusBit(manip, dir);
        if ((conntrack.status(entry) & statusbit) == 0) {
            return true;
        }
        Packet before = skb.packet();
        // the target is the other direction's tuple inverted (nf_ct_invert_tuple()), read packed:
        // no Tuple is made for a packet that NAT rewrites
        CtDir other = dir.opposite();
        skb.packet(ManipPacket.manipulateInverted(
                before, conntrack.tupleKeyHigh(entry, other), conntrack.tupleKeyLow(entry, other), manip));
        skb.natApplied(dir == CtDir.REPLY ? APPLIED_REVERSE : manip == NatManip.DST ? APPLIED_DNAT : APPLIED_SNAT);
        if (trace != null) {
            Packet after = skb.packet();
            trace.add(TraceStep.note(
                    hook,
                    "nat-core",
                    () -> describe(manip, dir) + ": " + endpoints(before) + " => " + endpoints(after)));
        }
        return true;
    }

    /**
     * {@code nf_nat_icmp_reply_translation()}. An error whose ICMP checksum is wrong is dropped
     * ({@code if (nf_ip_checksum(skb, hooknum, hdrlen, IPPROTO_ICMP)) return 0;}, then
     * {@code return NF_DROP} in {@code nf_nat_ipv4_fn()}) at the first NAT hook it meets, before
     * the status test, so even an error about an un-NATed connection; {@code nf_conntrack_checksum}
     * does not govern it. The same in every release 4.14 to 6.18 (read: 4.14.280 and 4.19.255
     * {@code net/ipv4/netfilter/nf_nat_l3proto_ipv4.c}, 6.18.2 {@code net/netfilter/nf_nat_proto.c}).
     */
    private boolean icmpReplyTranslation(
            Skb skb, int entry, CtDir dir, Hook hook, boolean checksumValid, List<TraceStep> trace) {
        if (!checksumValid) {
            if (trace != null) {
                trace.add(TraceStep.note(hook, "nat-core", "ICMP error with a bad checksum: dropped"));
            }
            return false;
        }
        Packet outer = skb.packet();
        IcmpMessage icmp = outer.icmp();
        int status = conntrack.status(entry);
        if (icmp.type() == IcmpMessage.REDIRECT) {
            int doneMask = Status.SRC_NAT_DONE | Status.DST_NAT_DONE;
            if ((status & doneMask) != doneMask || (status & (Status.SRC_NAT | Status.DST_NAT)) != 0) {
                return false;
            }
        }
        NatManip manip = hook.manip();
        if ((status & statusBit(manip, dir)) == 0) {
            return true;
        }
        Tuple other = conntrack.tuple(entry, dir.opposite());
        Packet inner = ManipPacket.manipulate(icmp.quoted(), other, manip.opposite());
        Packet rewritten = ManipPacket.manipulate(outer.withTransport(icmp.withQuoted(inner)), other.invert(), manip);
        skb.packet(rewritten);
        skb.natApplied(APPLIED_INNER
                | (dir == CtDir.REPLY ? APPLIED_REVERSE : manip == NatManip.DST ? APPLIED_DNAT : APPLIED_SNAT));
        if (trace != null) {
            trace.add(TraceStep.note(
                    hook,
                    "nat-core",
                    "ICMP error " + describe(manip, dir) + ": outer "
                            + endpoints(outer) + " => " + endpoints(rewritten) + ", inner " + endpoints(icmp.quoted())
                            + " => " + endpoints(inner)));
        }
        return true;
    }

    /** The status bit that says this manip applies to packets of direction {@code dir}. */
    private static int statusBit(NatManip manip, CtDir dir) {
        int bit = manip == NatManip.SRC ? Status.SRC_NAT : Status.DST_NAT;
        if (dir == CtDir.REPLY) {
            bit ^= Status.SRC_NAT | Status.DST_NAT;
        }
        return bit;
    }

    private static String describe(NatManip manip, CtDir dir) {
        if (dir == CtDir.REPLY) {
            return manip == NatManip.SRC ? "reverse DNAT (source)" : "reverse SNAT (destination)";
        }
        return manip == NatManip.SRC ? "SNAT" : "DNAT";
    }

    private static String endpoints(Packet p) {
        return switch (p.protocol()) {
            case TCP, UDP -> Ip4.format(p.srcIp(), p.srcPort()) + " > " + Ip4.format(p.dstIp(), p.dstPort());
            case ICMP, OTHER -> Ip4.format(p.srcIp()) + " > " + Ip4.format(p.dstIp());
        };
    }
}
