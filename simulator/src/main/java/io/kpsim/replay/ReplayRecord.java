package io.kpsim.replay;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.TcpState;

/**
 * What happened to one capture record at the node: the ctstate and direction as
 * {@code -m conntrack} saw it in FORWARD, the conntrack entry's TCP state after the packet, the
 * verdict, the addresses after NAT, and the kernel's reason. The fields are exactly the keys of
 * DESIGN.md "Replay output", shared by the model ({@code kpsim replay}) and the real kernel
 * ({@code kpsim oracle}) so the two can be compared field by field.
 *
 * @param file the capture's file name as given
 * @param index 0-based record index in the file
 * @param ctstate ctstate in FORWARD; {@code null} only for skipped records
 * @param ctdir direction, {@code null} when INVALID or UNTRACKED
 * @param tcpState TCP state of the entry the packet's received tuple matches, after the packet
 * @param verdict whether the node forwarded or dropped the packet
 * @param outSrc source after NAT ({@code ip:port}, or {@code ip} for ICMP); {@code null} when dropped
 * @param outDst destination after NAT; {@code null} when dropped
 * @param outInnerSrc for ICMP errors: the quoted header's source after NAT, else {@code null}
 * @param outInnerDst for ICMP errors: the quoted header's destination after NAT, else {@code null}
 * @param reason the kernel's log text for an INVALID or ignored packet, else {@code null}
 * @param skipped why a record was not replayed (not IPv4, ...), else {@code null}
 */
public record ReplayRecord(String file, int index, CtState ctstate, CtDir ctdir, TcpState tcpState,
                           Verdict verdict, String outSrc, String outDst, String outInnerSrc,
                           String outInnerDst, String reason, String skipped) {

    /** Whether the node forwarded the packet. */
    public enum Verdict {
        /** Forwarded. */
        ACCEPT,
        /** Dropped by a rule or by conntrack. */
        DROP
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

    /** The record as one JSON object in DESIGN.md's key order, without a trailing newline. */
    public String toJson() {
        return appendJson(new StringBuilder(256)).toString();
    }

    /** Appends {@link #toJson()}'s text to {@code s} (no newline) and returns {@code s}. */
    public StringBuilder appendJson(StringBuilder s) {
        s.append("{\"file\":");
        Json.append(s, file).append(",\"index\":").append(index);
        if (isSkipped()) {
            s.append(",\"skipped\":");
            return Json.append(s, skipped).append('}');
        }
        s.append(",\"ctstate\":");
        Json.append(s, ctstate).append(",\"ctdir\":");
        Json.append(s, ctdir).append(",\"tcp_state\":");
        Json.append(s, tcpState).append(",\"verdict\":");
        Json.append(s, verdict).append(",\"out_src\":");
        Json.append(s, outSrc).append(",\"out_dst\":");
        Json.append(s, outDst);
        if (hasInner()) {
            s.append(",\"out_inner_src\":");
            Json.append(s, outInnerSrc).append(",\"out_inner_dst\":");
            Json.append(s, outInnerDst);
        }
        s.append(",\"reason\":");
        return Json.append(s, reason).append('}');
    }
}
