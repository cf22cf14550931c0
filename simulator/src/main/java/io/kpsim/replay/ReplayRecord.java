package io.kpsim.replay;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.TcpState;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.pcap.CaptureInterface;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What happened to one capture record at the node: the packet as it arrived, the ctstate and
 * direction as {@code -m conntrack} saw it in FORWARD, the conntrack entry's TCP state after the
 * packet, the verdict, the addresses after NAT, the kernel's reason, and what the real node did
 * when the capture holds its own copy. The fields are exactly the keys of DESIGN.md "Replay
 * output", shared by the model ({@code kpsim replay}) and the real kernel ({@code kpsim oracle})
 * so the two can be compared field by field; the oracle's records carry no packet.
 *
 * @param file the capture's file name as given
 * @param index 0-based record index in the file
 * @param timestampNanos the record's capture time ({@code ts}), in nanoseconds since the epoch
 * @param timestampDigits digits of a second the capture keeps (6 or 9), or -1 when the record has no packet
 * @param packet the packet as it arrived ({@code src}, {@code dst}, {@code proto}, {@code flags},
 *        {@code seq}, {@code ack}, {@code len}), or {@code null} (the oracle's records, skipped records)
 * @param ctstate ctstate in FORWARD; {@code null} only for skipped records
 * @param ctdir direction, {@code null} when INVALID or UNTRACKED
 * @param tcpState TCP state of the entry the packet's received tuple matches, after the packet
 * @param verdict whether the node forwarded or dropped the packet
 * @param outSrc source after NAT ({@code ip:port}, or {@code ip} for ICMP); {@code null} when dropped, and
 *        {@code null} when {@code outPacket} names it ({@link #outSrc()} then reads it from the packet)
 * @param outDst destination after NAT; {@code null} when dropped or named by {@code outPacket}
 * @param outInnerSrc for ICMP errors: the quoted header's source after NAT, else {@code null}
 * @param outInnerDst for ICMP errors: the quoted header's destination after NAT, else {@code null}
 * @param reason the kernel's log text for an INVALID or ignored packet, else {@code null}
 * @param observed what the real node did, from its own copy in the capture, or {@code null}
 * @param skipped why a record was not replayed (not IPv4, sent by the node, ...), else {@code null}
 * @param outPacket the forwarded packet as it left after NAT, when the record names {@code out_src} and
 *        {@code out_dst} by it rather than by text, else {@code null}. Replay's JSON Lines records do:
 *        formatting two {@code ip:port} words per packet on the replaying thread, to be copied again
 *        by the writer's thread, was a tenth of that thread's time (benchmarks.md section 3, session
 *        7); the writer now writes the words straight from the packet's numbers.
 */
public record ReplayRecord(
        String file,
        int index,
        long timestampNanos,
        int timestampDigits,
        Packet packet,
        CtState ctstate,
        CtDir ctdir,
        TcpState tcpState,
        Verdict verdict,
        String outSrc,
        String outDst,
        String outInnerSrc,
        String outInnerDst,
        String reason,
        Observed observed,
        String skipped,
        Packet outPacket) {

    /** Checks that the addresses after NAT are given one way only. */
    public ReplayRecord {
        if (outPacket != null && (outSrc != null || outDst != null)) {
            throw new IllegalArgumentException("out_src and out_dst are given both as text and by a packet");
        }
    }

    /** A record whose addresses after NAT are text ({@code outPacket} is {@code null}). */
    public ReplayRecord(
            String file,
            int index,
            long timestampNanos,
            int timestampDigits,
            Packet packet,
            CtState ctstate,
            CtDir ctdir,
            TcpState tcpState,
            Verdict verdict,
            String outSrc,
            String outDst,
            String outInnerSrc,
            String outInnerDst,
            String reason,
            Observed observed,
            String skipped) {
        this(
                file,
                index,
                timestampNanos,
                timestampDigits,
                packet,
                ctstate,
                ctdir,
                tcpState,
                verdict,
                outSrc,
                outDst,
                outInnerSrc,
                outInnerDst,
                reason,
                observed,
                skipped,
                null);
    }

    /** Whether the node forwarded the packet. */
    public enum Verdict {
        /** Forwarded. */
        ACCEPT,
        /** Dropped by a rule or by conntrack. */
        DROP
    }

    /** A record without the packet's own fields (what the kernel oracle reports). */
    public ReplayRecord(
            String file,
            int index,
            CtState ctstate,
            CtDir ctdir,
            TcpState tcpState,
            Verdict verdict,
            String outSrc,
            String outDst,
            String outInnerSrc,
            String outInnerDst,
            String reason,
            String skipped) {
        this(
                file,
                index,
                0,
                -1,
                null,
                ctstate,
                ctdir,
                tcpState,
                verdict,
                outSrc,
                outDst,
                outInnerSrc,
                outInnerDst,
                reason,
                null,
                skipped);
    }

    /** A record that was not replayed. */
    public static ReplayRecord skipped(String file, int index, String why) {
        return new ReplayRecord(file, index, null, null, null, null, null, null, null, null, null, why);
    }

    /** Whether this record was skipped rather than replayed. */
    public boolean isSkipped() {
        return skipped != null;
    }

    /** Whether the packet was an ICMP error carrying a quoted header. */
    public boolean hasInner() {
        return outInnerSrc != null || outInnerDst != null;
    }

    /** This record with the packet it is about and what the real node did. */
    ReplayRecord withPacket(long nanos, int digits, Packet received, Observed seen) {
        return new ReplayRecord(
                file,
                index,
                nanos,
                digits,
                received,
                ctstate,
                ctdir,
                tcpState,
                verdict,
                outSrc,
                outDst,
                outInnerSrc,
                outInnerDst,
                reason,
                seen,
                skipped,
                outPacket);
    }

    /** {@code out_src}: the source after NAT ({@code ip:port}, {@code ip} for ICMP), or {@code null} when dropped. */
    @Override
    public String outSrc() {
        return outPacket == null ? outSrc : CopyMatcher.endpoint(outPacket, true);
    }

    /** {@code out_dst}: the destination after NAT, or {@code null} when dropped. */
    @Override
    public String outDst() {
        return outPacket == null ? outDst : CopyMatcher.endpoint(outPacket, false);
    }

    /** This record with what the real node did. */
    public ReplayRecord withObserved(Observed seen) {
        return withPacket(timestampNanos, timestampDigits, packet, seen);
    }

    /** {@code ts}: the capture time as a decimal string with the capture's precision, or {@code null}. */
    public String ts() {
        return timestampDigits < 0 ? null : CaptureInterface.formatTimestamp(timestampNanos, timestampDigits);
    }

    /** The record as one JSON object in DESIGN.md's key order, without a trailing newline. */
    public String toJson() {
        return appendJson(new JsonText(256)).toString();
    }

    /** Appends {@link #toJson()}'s UTF-8 bytes to {@code out} (no newline) and returns {@code out}. */
    public JsonText appendJson(JsonText out) {
        return appendLine(out, StateWords.linePrefix(file), null);
    }

    /**
     * As {@link #appendJson(JsonText)}, as the JSON Lines writer makes each line: {@code linePrefix}
     * is the file's {@link StateWords#linePrefix}, and {@code words} gives the states and the verdict with
     * their keys in one piece ({@code null}: they are written one by one).
     */
    JsonText appendLine(JsonText out, byte[] linePrefix, StateWords words) {
        out.raw(linePrefix).number(index);
        if (isSkipped()) {
            return out.raw(Keys.SKIPPED).string(skipped).ascii('}');
        }
        if (packet != null) {
            PacketFields.append(out, this);
        }
        if (words == null) {
            StateWords.append(out, ctstate, ctdir, tcpState, verdict);
        } else {
            out.raw(words.of(ctstate, ctdir, tcpState, verdict));
        }
        appendOut(out, true);
        out.raw(Keys.OUT_DST);
        appendOut(out, false);
        if (hasInner()) {
            out.raw(Keys.OUT_INNER_SRC)
                    .string(outInnerSrc)
                    .raw(Keys.OUT_INNER_DST)
                    .string(outInnerDst);
        }
        out.raw(Keys.REASON).string(reason);
        if (packet != null) {
            out.raw(Keys.OBSERVED);
            if (observed == null) {
                out.nullValue();
            } else {
                out.raw(Keys.VERDICT_FIRST)
                        .string(observed.verdict())
                        .raw(Keys.OUT_SRC)
                        .string(observed.outSrc())
                        .raw(Keys.OUT_DST)
                        .string(observed.outDst())
                        .ascii('}');
            }
        }
        return out.ascii('}');
    }

    /**
     * Records are equal when they say the same: {@code out_src} and {@code out_dst} compare as
     * their words ({@link #outSrc()}, {@link #outDst()}), whether they were given as text or by the
     * packet, so a record sink's records equal a step sink's.
     */
    @Override
    public boolean equals(Object o) {
        return this == o
                || (o instanceof ReplayRecord r
                        && index == r.index
                        && timestampNanos == r.timestampNanos
                        && timestampDigits == r.timestampDigits
                        && ctstate == r.ctstate
                        && ctdir == r.ctdir
                        && tcpState == r.tcpState
                        && verdict == r.verdict
                        && Objects.equals(file, r.file)
                        && Objects.equals(packet, r.packet)
                        && Objects.equals(outSrc(), r.outSrc())
                        && Objects.equals(outDst(), r.outDst())
                        && Objects.equals(outInnerSrc, r.outInnerSrc)
                        && Objects.equals(outInnerDst, r.outInnerDst)
                        && Objects.equals(reason, r.reason)
                        && Objects.equals(observed, r.observed)
                        && Objects.equals(skipped, r.skipped));
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                file,
                index,
                timestampNanos,
                timestampDigits,
                packet,
                ctstate,
                ctdir,
                tcpState,
                verdict,
                outSrc(),
                outDst(),
                outInnerSrc,
                outInnerDst,
                reason,
                observed,
                skipped);
    }

    /** Appends {@code out_src} or {@code out_dst}'s value, from the packet when the record has one. */
    private void appendOut(JsonText out, boolean source) {
        if (outPacket == null) {
            out.string(source ? outSrc : outDst);
            return;
        }
        Packet p = outPacket;
        boolean ports = p.protocol() == Protocol.TCP || p.protocol() == Protocol.UDP;
        if (source) {
            out.address(p.srcIp(), ports ? p.srcPort() : -1);
        } else {
            out.address(p.dstIp(), ports ? p.dstPort() : -1);
        }
    }

    /** The keys of DESIGN.md "Replay output", with their punctuation, as bytes. */
    static final class Keys {
        static final byte[] FILE = bytes("{\"file\":");
        static final byte[] INDEX = bytes(",\"index\":");
        static final byte[] SKIPPED = bytes(",\"skipped\":");
        static final byte[] CTSTATE = bytes(",\"ctstate\":");
        static final byte[] CTDIR = bytes(",\"ctdir\":");
        static final byte[] TCP_STATE = bytes(",\"tcp_state\":");
        static final byte[] VERDICT = bytes(",\"verdict\":");
        static final byte[] OUT_SRC = bytes(",\"out_src\":");
        static final byte[] OUT_DST = bytes(",\"out_dst\":");
        static final byte[] OUT_INNER_SRC = bytes(",\"out_inner_src\":");
        static final byte[] OUT_INNER_DST = bytes(",\"out_inner_dst\":");
        static final byte[] REASON = bytes(",\"reason\":");
        static final byte[] OBSERVED = bytes(",\"observed\":");
        static final byte[] VERDICT_FIRST = bytes("{\"verdict\":");
        /** Each constant's name as a JSON string, by ordinal, made once rather than per line. */
        static final byte[][] CTSTATES = literals(CtState.values());

        static final byte[][] CTDIRS = literals(CtDir.values());
        static final byte[][] TCP_STATES = literals(TcpState.values());
        static final byte[][] VERDICTS = literals(Verdict.values());
        private static final byte[] NULL = bytes("null");

        private Keys() {}

        /** {@code value}'s JSON string from {@code table}, or {@code null}'s bytes. */
        static byte[] literal(byte[][] table, Enum<?> value) {
            return value == null ? NULL : table[value.ordinal()];
        }

        private static byte[][] literals(Enum<?>[] constants) {
            byte[][] table = new byte[constants.length][];
            for (Enum<?> c : constants) {
                table[c.ordinal()] = JsonText.literalBytes(c.name());
            }
            return table;
        }

        private static byte[] bytes(String ascii) {
            return ascii.getBytes(StandardCharsets.US_ASCII);
        }
    }
}
