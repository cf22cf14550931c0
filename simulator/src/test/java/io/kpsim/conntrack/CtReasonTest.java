package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kpsim.packet.Ip4;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@link CtReason} resolves to the kernel's words, byte for byte, with its arguments in
 * place: the text the reports quote and the kernel oracle compares against the real log.
 */
class CtReasonTest {

    private static final int STATE_ESTABLISHED = TcpState.ESTABLISHED.ordinal();

    @Test
    void everyCodeHasTheKernelsWords() {
        Map<CtReason, String> expected = new EnumMap<>(CtReason.class);
        expected.put(CtReason.TRUNCATED_PACKET, "truncated packet");
        expected.put(CtReason.BAD_CHECKSUM, "bad checksum");
        expected.put(CtReason.INVALID_TCP_FLAGS, "invalid tcp flag combination");
        expected.put(CtReason.INVALID_NEW, "invalid new");
        expected.put(CtReason.INVALID_IN_STATE, "packet (index 3) in dir 1 invalid, state ESTABLISHED");
        expected.put(CtReason.V4_INVALID_STATE, "invalid state");
        expected.put(CtReason.IGNORED_IN_STATE, "packet (index 3) in dir 1 ignored, state ESTABLISHED");
        expected.put(CtReason.V4_IGNORED_IN_STATE, "invalid packet ignored in state ESTABLISHED");
        expected.put(CtReason.CHALLENGE_ACK_IGNORED, "challenge-ack ignored");
        expected.put(CtReason.INVALID_RST, "invalid rst");
        expected.put(CtReason.BYTES_MORE_THAN_EXPECTED, "4294967295 bytes more than expected");
        expected.put(
                CtReason.SEQ_OVER_UPPER_BOUND, "SEQ is over upper bound 4294967295 (over the window of the receiver)");
        expected.put(CtReason.ACK_OVER_UPPER_BOUND, "ACK is over upper bound 4294967295 (ACKed data not seen yet)");
        expected.put(
                CtReason.SEQ_UNDER_LOWER_BOUND,
                "SEQ is under lower bound 4294967295 (already ACKed data retransmitted)");
        expected.put(
                CtReason.ACK_UNDER_LOWER_BOUND, "ignored ACK under lower bound 4294967295 (possible overly delayed)");
        expected.put(CtReason.V4_SEQ_OVER_UPPER_BOUND, "SEQ is over the upper bound (over the window of the receiver)");
        expected.put(
                CtReason.V4_SEQ_UNDER_LOWER_BOUND, "SEQ is under the lower bound (already ACKed data retransmitted)");
        expected.put(CtReason.V4_ACK_OVER_UPPER_BOUND, "ACK is over the upper bound (ACKed data not seen yet)");
        expected.put(CtReason.V4_ACK_UNDER_LOWER_BOUND, "ACK is under the lower bound (possible overly delayed ACK)");
        expected.put(CtReason.BAD_ICMP_CHECKSUM, "bad hw icmp checksum");
        expected.put(CtReason.INVALID_ICMP_TYPE, "invalid icmp type");
        expected.put(CtReason.SHORT_PACKET, "short packet");
        expected.put(CtReason.ICMP_CANNOT_CREATE, "icmp: can't create new conn with type 0");
        expected.put(CtReason.OUTER_DADDR_MISMATCH, "outer daddr 10.0.0.254 != inner 10.244.1.5");
        expected.put(CtReason.TABLE_FULL, "nf_conntrack: table full, dropping packet");
        assertEquals(CtReason.values().length, expected.size(), "one expectation per code");
        for (CtReason code : CtReason.values()) {
            LoggedReason line = new LoggedReason();
            switch (code) {
                case INVALID_IN_STATE, IGNORED_IN_STATE, V4_IGNORED_IN_STATE -> line.log(code, 3, 1, STATE_ESTABLISHED);
                case BYTES_MORE_THAN_EXPECTED,
                        SEQ_OVER_UPPER_BOUND,
                        ACK_OVER_UPPER_BOUND,
                        SEQ_UNDER_LOWER_BOUND,
                        ACK_UNDER_LOWER_BOUND -> line.log(code, -1); // u32: printed unsigned
                case ICMP_CANNOT_CREATE -> line.log(code, 0);
                case OUTER_DADDR_MISMATCH -> line.log(code, Ip4.parse("10.0.0.254"), Ip4.parse("10.244.1.5"), 0);
                default -> line.log(code);
            }
            assertEquals(code, line.code());
            assertEquals(expected.get(code), line.words(), code.name());
        }
    }

    @Test
    void anEmptyLineHasNoWordsAndACopyOutlivesTheOriginal() {
        LoggedReason line = new LoggedReason();
        assertNull(line.code());
        assertNull(line.words());
        line.log(CtReason.SEQ_OVER_UPPER_BOUND, 70001);
        LoggedReason kept = new LoggedReason();
        kept.copyFrom(line);
        line.clear();
        assertNull(line.words());
        assertEquals("SEQ is over upper bound 70001 (over the window of the receiver)", kept.words());
    }
}
