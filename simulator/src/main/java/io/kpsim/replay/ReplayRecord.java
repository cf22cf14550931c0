package io.kpsim.replay;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.TcpState;
import java.nio.charset.StandardCharsets;

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
public record ReplayRecord(
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
        return appendJson(new JsonText(256)).toString();
    }

    /** Appends {@link #toJson()}'s UTF-8 bytes to {@code out} (no newline) and returns {@code out}. */
    public JsonText appendJson(JsonText out) {
        return appendJson(out, JsonText.literalBytes(file));
    }

    /** As {@link #appendJson(JsonText)}, with {@code file} already escaped, as a writer keeps it per file. */
    JsonText appendJson(JsonText out, byte[] fileLiteral) {
        out.raw(Keys.FILE).raw(fileLiteral).raw(Keys.INDEX).number(index);
        if (isSkipped()) {
            return out.raw(Keys.SKIPPED).string(skipped).ascii('}');
        }
        out.raw(Keys.CTSTATE)
                .string(ctstate)
                .raw(Keys.CTDIR)
                .string(ctdir)
                .raw(Keys.TCP_STATE)
                .string(tcpState)
                .raw(Keys.VERDICT)
                .string(verdict)
                .raw(Keys.OUT_SRC)
                .string(outSrc)
                .raw(Keys.OUT_DST)
                .string(outDst);
        if (hasInner()) {
            out.raw(Keys.OUT_INNER_SRC)
                    .string(outInnerSrc)
                    .raw(Keys.OUT_INNER_DST)
                    .string(outInnerDst);
        }
        return out.raw(Keys.REASON).string(reason).ascii('}');
    }

    /** The keys of DESIGN.md "Replay output", with their punctuation, as bytes. */
    private static final class Keys {
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

        private Keys() {}

        private static byte[] bytes(String ascii) {
            return ascii.getBytes(StandardCharsets.US_ASCII);
        }
    }
}
