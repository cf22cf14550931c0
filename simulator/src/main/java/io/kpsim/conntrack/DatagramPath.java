package io.kpsim.conntrack;

import io.kpsim.packet.Protocol;

/**
 * {@code nf_conntrack_in()} for protocols without a handshake: UDP ({@link UdpTracker}) and
 * everything conntrack has no tracker for ({@link GenericTracker}). Any packet may create an
 * entry; a reply-direction packet marks it {@code IPS_SEEN_REPLY}. Up to 4.19 {@code udp_error()}
 * ran before the lookup (counting {@code error} and {@code invalid}); from 5.0
 * ({@link io.kpsim.conntrack.profile.Switch#L4_ERROR_AFTER_LOOKUP}) it runs inside
 * {@code nf_conntrack_udp_packet()}, after the entry was allocated (so even a bad-checksum
 * datagram counts against a full table), and counts {@code invalid} only.
 */
final class DatagramPath {

    private final UdpTracker udp;
    private final GenericTracker generic;

    DatagramPath(UdpTracker udp, GenericTracker generic) {
        this.udp = udp;
        this.generic = generic;
    }

    /** Handles one datagram; returns a {@link PackedResult}. */
    int in(
            Conntrack ct,
            EntryTable entries,
            Protocol protocol,
            int srcIp,
            int dstIp,
            int srcPort,
            int dstPort,
            boolean checksumValid,
            long now) {
        CtReason err = protocol == Protocol.UDP ? UdpTracker.error(ct.sysctls(), checksumValid) : null;
        boolean after = ct.refusals().l4ErrorAfterLookup();
        if (!after && ct.refusals().refusedBeforeLookup(err)) {
            return PackedResult.INVALID;
        }
        int number = Conntrack.protocolNumber(protocol);
        long kh = ConnTable.keyHigh(srcIp, dstIp);
        long kl = ConnTable.keyLow(number, srcPort, dstPort);
        int found = entries.lookup(kh, kl, now);
        int e;
        int dir;
        if (found == ConnTable.NOT_FOUND) {
            e = entries.allocate(
                    kh,
                    kl,
                    ConnTable.keyHigh(dstIp, srcIp),
                    ConnTable.keyLow(number, dstPort, srcPort),
                    protocol.number(),
                    now);
            if (e < 0) {
                return ct.refusals().tableFull();
            }
            dir = 0;
        } else {
            e = TupleHashRef.entry(found);
            dir = TupleHashRef.dir(found);
        }
        if (after && ct.refusals().refusedAfterLookup(err)) {
            if ((entries.store.status(e) & Status.CONFIRMED) == 0) {
                entries.discardUnconfirmed(e);
            }
            return PackedResult.INVALID;
        }
        int kind = CtInfo.of(entries.store, e, dir);
        if (protocol == Protocol.UDP) {
            udp.packet(e, now);
        } else {
            generic.packet(e, now);
        }
        CtInfo.seenReply(entries.store, e, dir);
        return PackedResult.of(kind, dir, e, false);
    }
}
