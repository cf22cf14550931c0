package io.kpsim.oracle;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.TcpState;
import io.kpsim.pcap.LiveInterface;
import io.kpsim.replay.ReplayRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays one capture through an {@link OracleTopology}, one packet at a time, and reads back the
 * kernel's verdict for each: the forwarded copy (its DSCP names the ctstate and direction, its
 * addresses show NAT), the node's netfilter log (conntrack's reason text in PREROUTING and the
 * FORWARD mark, which also covers packets the drop-INVALID rule drops) and a ctnetlink lookup of
 * the received tuple (the entry's TCP state after the packet, as {@code conntrack -G} would show).
 *
 * <p>Why one at a time: ordering is restored per packet, and the next packet is sent only once the
 * previous one is accounted for. Nothing here waits a fixed time. Each packet is followed on the
 * same port, from the same CPU, by a {@link Sentinel}; the probe reads the egress port until the
 * sentinel comes out, and by then the kernel has finished the packet: its copy, if it was
 * forwarded, came out first, and its NFLOG messages were sent while it was processed. A packet
 * without a copy was dropped, so a drop is concluded as fast as an accept (a fraction of a
 * millisecond), however loaded the machine is. {@link OracleConfig#verdictTimeout()} only bounds
 * the wait for a node that stops forwarding altogether, which ends the run with an error rather
 * than a guessed verdict.
 *
 * <p>A dropped packet's ctstate comes from its FORWARD mark (the drop-INVALID rule runs after the
 * mangle marks). One that never reached FORWARD is reported INVALID and DROP (conntrack returned a
 * drop verdict or attached no entry), with the conntrack log line as reason when there was one;
 * DESIGN.md's replay assumes routing delivers every packet, and the topology routes every
 * captured address.
 */
final class KernelReplayer {

    private static final long POLL_PAUSE_NANOS = 20_000;

    private final OracleTopology topology;
    private final AddressPlan plan;
    private final OracleConfig config;
    private int probes;

    KernelReplayer(OracleTopology topology, AddressPlan plan, OracleConfig config) {
        this.topology = topology;
        this.plan = plan;
        this.config = config;
    }

    /** Replays {@code records} from an empty conntrack table and returns one record each. */
    List<ReplayRecord> replay(String file, List<CaptureFile.Record> records) {
        topology.flushConntrack();
        List<ReplayRecord> out = new ArrayList<>(records.size());
        CpuPin pin = CpuPin.here();
        try {
            for (CaptureFile.Record r : records) {
                out.add(r.skipped() != null ? ReplayRecord.skipped(file, r.index(), r.skipped()) : probe(file, r));
            }
        } finally {
            pin.close();
        }
        return out;
    }

    private ReplayRecord probe(String file, CaptureFile.Record r) {
        WireIpv4 sent = r.headers();
        AddressPlan.Side side = plan.side(sent);
        LiveInterface ingress = topology.port(side);
        LiveInterface egress = topology.port(side.other());
        ingress.drain();
        egress.drain();
        topology.nflog().drain();
        int probe = ++probes;
        Sentinel sentinel = plan.sentinel();
        ingress.inject(OracleTopology.frame(side, r.ipv4()));
        ingress.inject(OracleTopology.frame(side, sentinel.packet(side.other(), probe)));
        long deadline = System.nanoTime() + config.verdictTimeout().toNanos();
        WireIpv4 copy = null;
        while (true) {
            byte[] frame = egress.poll();
            if (frame == null) {
                if (System.nanoTime() - deadline > 0) {
                    throw new OracleException(file + " #" + r.index() + ": the node forwarded neither the packet nor"
                            + " the sentinel behind it within "
                            + config.verdictTimeout().toMillis() + " ms;"
                            + " is the machine overloaded, or another ruleset interfering?");
                }
                LockSupport.parkNanos(POLL_PAUSE_NANOS);
                continue;
            }
            WireIpv4 headers = frame.length > 14 && (frame[12] & 0xff) == 0x08 && frame[13] == 0
                    ? WireIpv4.parse(frame, 14)
                    : null;
            if (headers == null) {
                continue;
            }
            if (sentinel.is(headers, side.other(), probe)) {
                break;
            }
            if (copy == null && sent.couldBeForwardedAs(headers)) {
                copy = headers;
            }
        }
        List<NflogMessage> log = new ArrayList<>();
        StateMark forwardMark = collectLog(log, sent);
        return record(file, r.index(), sent, copy, forwardMark, log);
    }

    /** Every log message waiting (all of this packet's, by the sentinel's proof) and its FORWARD mark. */
    private StateMark collectLog(List<NflogMessage> log, WireIpv4 sent) {
        byte[] raw;
        StateMark result = null;
        while ((raw = topology.nflog().poll()) != null) {
            NflogMessage m = NflogMessage.parse(raw);
            log.add(m);
            if (result == null && m.mark() != null && (m.packet() == null || sent.couldBeForwardedAs(m.packet()))) {
                result = m.mark();
            }
        }
        return result;
    }

    private ReplayRecord record(
            String file, int index, WireIpv4 sent, WireIpv4 copy, StateMark forwardMark, List<NflogMessage> log) {
        StateMark mark;
        if (copy != null) {
            mark = StateMark.ofDscp(copy.dscp());
            if (mark == null) {
                throw new OracleException(file + " #" + index + ": forwarded without a ctstate mark (DSCP "
                        + copy.dscp() + "); is another ruleset interfering?");
            }
        } else {
            mark = forwardMark;
        }
        CtState state = mark == null ? CtState.INVALID : mark.state();
        CtDir dir = mark == null ? null : mark.dir();
        String reason = reason(log);
        ReplayRecord.Verdict verdict = copy == null ? ReplayRecord.Verdict.DROP : ReplayRecord.Verdict.ACCEPT;
        String outSrc = copy == null ? null : copy.sourceText();
        String outDst = copy == null ? null : copy.destinationText();
        String innerSrc =
                copy == null || copy.inner() == null ? null : copy.inner().sourceText();
        String innerDst =
                copy == null || copy.inner() == null ? null : copy.inner().destinationText();
        return new ReplayRecord(
                file, index, state, dir, tcpState(sent), verdict, outSrc, outDst, innerSrc, innerDst, reason, null);
    }

    /** The conntrack log lines of this packet (PREROUTING), without their {@code nf_ct_proto_N:} tag. */
    private static String reason(List<NflogMessage> log) {
        List<String> reasons = new ArrayList<>();
        for (NflogMessage m : log) {
            String r = m.conntrackReason();
            if (r != null && !reasons.contains(r)) {
                reasons.add(r);
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /**
     * The TCP state of the confirmed entry the packet's tuple as received matches in either
     * direction; for an ICMP error, the entry of the quoted header (looked up inverted, as
     * {@code nf_conntrack_icmpv4_error()} does).
     */
    private TcpState tcpState(WireIpv4 sent) {
        if (sent.inner() == null) {
            return topology.conntrack(sent.tuple()).tcpState();
        }
        CtnetlinkLookup.Result e = topology.conntrack(sent.inner().tuple().invert());
        return e.found()
                ? e.tcpState()
                : topology.conntrack(sent.inner().tuple()).tcpState();
    }
}
