package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;

/**
 * ICMP tracking ({@code nf_conntrack_proto_icmp.c}): queries (echo, timestamp, information,
 * address mask) create a conntrack whose reply tuple is the matching reply type
 * ({@code icmp_invert_tuple}, {@code invmap[]}); replies without a request, and any other type,
 * cannot create one ({@code valid_new[]}). Errors are not tracked themselves: they are RELATED to
 * the connection of the packet they quote ({@code nf_conntrack_icmpv4_error},
 * {@code nf_conntrack_inet_error}): the quoted tuple is inverted and looked up; the direction of
 * the tuplehash found gives {@code IP_CT_RELATED} or {@code IP_CT_RELATED_REPLY}.
 *
 * <p>A refused error message counts {@code error} (and up to 5.4 {@code invalid},
 * {@link Switch#ICMP_ERROR_COUNTS_ERROR_ONLY}); only the header checks and, from 5.1, the outer
 * address check ({@link Switch#ICMP_OUTER_DADDR_CHECK}) are logged: the lookup failures and
 * {@code icmp_new()}'s refusal are {@code pr_debug()} or silent in every release.
 */
final class IcmpTracker {

    /** {@code NR_ICMP_TYPES}: types above it are "a mystery" and refused. */
    static final int NR_ICMP_TYPES = 18;

    private final EntryStore s;
    private final boolean outerDaddrCheck;
    private final Sysctls sysctls;
    private final Timeouts timeouts;
    /** Where a refusal says why. */
    private final LoggedReason log;

    IcmpTracker(EntryStore store, Kernel kernel, Sysctls sysctls, Timeouts timeouts, LoggedReason log) {
        this.s = store;
        this.outerDaddrCheck = kernel.has(Switch.ICMP_OUTER_DADDR_CHECK);
        this.sysctls = sysctls;
        this.timeouts = timeouts;
        this.log = log;
    }

    /** {@code nf_conntrack_in()} for an ICMP packet; returns a {@link PackedResult}. */
    int in(Conntrack ct, EntryTable entries, Packet packet, boolean checksumValid, long now) {
        IcmpMessage m = packet.icmp();
        CtReason refused = error(m, checksumValid);
        if (refused != null) {
            ct.refusals().icmpErrorRefused(refused);
            return PackedResult.INVALID;
        }
        if (m.isError()) {
            if (m.quoted() == null) {
                ct.refusals().icmpErrorRefused(null); // nothing quoted: no inner tuple, silently
                return PackedResult.INVALID;
            }
            return related(ct, entries, packet.dstIp(), m.quoted(), now);
        }
        int typeCode = (m.type() << 8) | m.code();
        long kh = ConnTable.keyHigh(packet.srcIp(), packet.dstIp());
        long kl = ConnTable.keyLow(Protocol.ICMP.number(), m.identifier(), typeCode);
        int found = entries.lookup(kh, kl, now);
        int e;
        int dir;
        if (found == ConnTable.NOT_FOUND) {
            if (!invertible(m.type())) {
                ct.refusals().refuse(); // init_conntrack: nf_ct_invert_tuple() failed, silently
                return PackedResult.INVALID;
            }
            e = entries.allocate(
                    kh,
                    kl,
                    ConnTable.keyHigh(packet.dstIp(), packet.srcIp()),
                    ConnTable.keyLow(Protocol.ICMP.number(), m.identifier(), IcmpTuples.invertTypeCode(typeCode)),
                    Protocol.ICMP.number(),
                    now);
            if (e < 0) {
                return ct.refusals().tableFull();
            }
            if (!validNew(m.type())) {
                entries.discardUnconfirmed(e);
                ct.refusals().refuse(); // pr_debug("icmp: can't create new conn with type %u"): not logged
                return PackedResult.INVALID;
            }
            dir = 0;
        } else {
            e = TupleHashRef.entry(found);
            dir = TupleHashRef.dir(found);
        }
        int kind = CtInfo.of(entries.store, e, dir);
        // nf_conntrack_icmp_packet(): "Do not immediately delete the connection after the first
        // successful reply", just refresh
        TcpTracker.refresh(s, e, timeouts.icmp, now);
        CtInfo.seenReply(entries.store, e, dir);
        return PackedResult.of(kind, dir, e, false);
    }

    /** {@code nf_conntrack_inet_error()}: the error is RELATED to the quoted packet's conntrack. */
    private int related(Conntrack ct, EntryTable entries, int outerDst, Packet quoted, long now) {
        int proto = Conntrack.protocolNumber(quoted.protocol());
        int srcPort = quoted.srcPort();
        int dstPort = quoted.dstPort();
        IcmpMessage inner = quoted.icmp();
        if (inner != null) {
            if (!invertible(inner.type())) {
                ct.refusals().icmpErrorRefused(null);
                return PackedResult.INVALID;
            }
            srcPort = inner.identifier();
            dstPort = IcmpTuples.invertTypeCode((inner.type() << 8) | inner.code());
        } else {
            int t = srcPort;
            srcPort = dstPort;
            dstPort = t;
        }
        // "Ordinarily, we'd expect the inverted tupleproto, but it's been preserved inside the ICMP."
        int found = entries.lookup(
                ConnTable.keyHigh(quoted.dstIp(), quoted.srcIp()), ConnTable.keyLow(proto, srcPort, dstPort), now);
        if (found == ConnTable.NOT_FOUND) {
            ct.refusals().icmpErrorRefused(null); // not about one of our connections: -NF_ACCEPT, no log
            return PackedResult.INVALID;
        }
        int e = TupleHashRef.entry(found);
        int dir = TupleHashRef.dir(found);
        if (outerDaddrCheck) {
            int ctDaddr = (int) s.keyHigh(found); // the destination of the tuple that matched
            if (ctDaddr != outerDst) {
                ct.refusals().icmpErrorRefused(CtReason.OUTER_DADDR_MISMATCH, outerDst, ctDaddr);
                return PackedResult.INVALID;
            }
        }
        return PackedResult.of(PackedResult.RELATED, dir, e, false);
    }

    /** {@code icmp_invert_tuple()} succeeds only for the query/reply types of {@code invmap[]}. */
    static boolean invertible(int type) {
        return switch (type) {
            case IcmpMessage.ECHO_REPLY,
                    IcmpMessage.ECHO_REQUEST,
                    IcmpMessage.TIMESTAMP,
                    IcmpMessage.TIMESTAMP_REPLY,
                    IcmpMessage.INFO_REQUEST,
                    IcmpMessage.INFO_REPLY,
                    IcmpMessage.ADDRESS,
                    IcmpMessage.ADDRESS_REPLY -> true;
            default -> false;
        };
    }

    /** {@code valid_new[]}: the request types that may create a conntrack. */
    static boolean validNew(int type) {
        return switch (type) {
            case IcmpMessage.ECHO_REQUEST, IcmpMessage.TIMESTAMP, IcmpMessage.INFO_REQUEST, IcmpMessage.ADDRESS -> true;
            default -> false;
        };
    }

    /**
     * {@code nf_conntrack_icmpv4_error()} checks that refuse a message before any lookup.
     *
     * @return why the message is refused, or {@code null} when it passes
     */
    CtReason error(IcmpMessage m, boolean checksumValid) {
        if (sysctls.checksum() && !checksumValid) {
            return CtReason.BAD_ICMP_CHECKSUM;
        }
        if (m.type() > NR_ICMP_TYPES) {
            return CtReason.INVALID_ICMP_TYPE;
        }
        return null;
    }
}
