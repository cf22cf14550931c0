package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.conntrack.profile.Release;
import io.kpsim.packet.Ip4;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@link CtReason} resolves to the words the modelled kernel logs, byte for byte (trailing
 * spaces included), with its arguments in place, and is silent where the kernel is: the text the
 * reports quote and the kernel oracle compares against the real log. The expected strings are the
 * format strings of {@code nf_conntrack_proto_tcp.c}, {@code nf_conntrack_proto_udp.c} and
 * {@code nf_conntrack_proto_icmp.c} at 4.14.280, 4.19.255, 5.15.167 and 6.18.2.
 */
class CtReasonTest {

    private static final int STATE_ESTABLISHED = TcpState.ESTABLISHED.ordinal();

    @Test
    void linux618WordsForEveryCode() {
        Map<CtReason, String> expected = new EnumMap<>(CtReason.class);
        expected.put(CtReason.TRUNCATED_PACKET, "truncated packet");
        expected.put(CtReason.BAD_CHECKSUM, "bad checksum");
        expected.put(CtReason.UDP_BAD_CHECKSUM, "bad checksum");
        expected.put(CtReason.INVALID_TCP_FLAGS, "invalid tcp flag combination");
        expected.put(CtReason.INVALID_NEW, "invalid new");
        expected.put(CtReason.INVALID_IN_STATE, "packet (index 3) in dir 1 invalid, state ESTABLISHED");
        expected.put(CtReason.IGNORED_IN_STATE, "packet (index 3) in dir 1 ignored, state ESTABLISHED");
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
        expected.put(CtReason.BAD_ICMP_CHECKSUM, "bad hw icmp checksum");
        expected.put(CtReason.INVALID_ICMP_TYPE, "invalid icmp type");
        expected.put(CtReason.OUTER_DADDR_MISMATCH, "outer daddr 10.0.0.254 != inner 10.244.1.5");
        expected.put(CtReason.TABLE_FULL, "nf_conntrack: table full, dropping packet");
        assertEquals(CtReason.values().length, expected.size(), "one expectation per code");
        for (CtReason code : CtReason.values()) {
            assertEquals(expected.get(code), words(KernelProfile.V6_18, code), code.name());
        }
    }

    @Test
    void linux419WordsTheTernaryChainAndTheTrailingSpace() {
        Kernel k = KernelProfile.V4_19;
        assertEquals("invalid packet ignored in state ESTABLISHED ", words(k, CtReason.IGNORED_IN_STATE));
        assertEquals("invalid state", words(k, CtReason.INVALID_IN_STATE));
        assertEquals(
                "SEQ is over the upper bound (over the window of the receiver)",
                words(k, CtReason.SEQ_OVER_UPPER_BOUND));
        assertEquals(
                "SEQ is over the upper bound (over the window of the receiver)",
                words(k, CtReason.BYTES_MORE_THAN_EXPECTED),
                "before 5.15.68 a small overshoot is reported as check I");
        assertEquals(
                "SEQ is under the lower bound (already ACKed data retransmitted)",
                words(k, CtReason.SEQ_UNDER_LOWER_BOUND));
        assertEquals("ACK is over the upper bound (ACKed data not seen yet)", words(k, CtReason.ACK_OVER_UPPER_BOUND));
        assertEquals(
                "ACK is under the lower bound (possible overly delayed ACK)", words(k, CtReason.ACK_UNDER_LOWER_BOUND));
        assertNull(words(k, CtReason.INVALID_NEW), "tcp_new() refusal is pr_debug before 6.12");
        assertEquals("invalid rst", words(k, CtReason.INVALID_RST));
    }

    @Test
    void linux414UsesItsOwnPrefixesAndWords() {
        Kernel k = KernelProfile.V4_14;
        assertEquals("nf_ct_tcp: invalid packet ignored in state ESTABLISHED ", words(k, CtReason.IGNORED_IN_STATE));
        assertEquals("nf_ct_tcp: invalid state ", words(k, CtReason.INVALID_IN_STATE));
        assertEquals("nf_ct_tcp: invalid RST ", words(k, CtReason.INVALID_RST));
        assertEquals("nf_ct_tcp: bad TCP checksum ", words(k, CtReason.BAD_CHECKSUM));
        assertEquals("nf_ct_udp: bad UDP checksum ", words(k, CtReason.UDP_BAD_CHECKSUM));
        assertEquals(
                "nf_ct_tcp: SEQ is over the upper bound (over the window of the receiver) ",
                words(k, CtReason.SEQ_OVER_UPPER_BOUND));
    }

    @Test
    void linux515HasTheIndexedIgnoreTextButTheOldInvalidStateAndWindowTexts() {
        Kernel k = KernelProfile.V5_15;
        assertEquals("packet (index 3) in dir 1 ignored, state ESTABLISHED", words(k, CtReason.IGNORED_IN_STATE));
        assertEquals("invalid state", words(k, CtReason.INVALID_IN_STATE));
        assertEquals("4294967295 bytes more than expected", words(k, CtReason.BYTES_MORE_THAN_EXPECTED));
        assertEquals(
                "SEQ is under the lower bound (already ACKed data retransmitted)",
                words(k, CtReason.SEQ_UNDER_LOWER_BOUND));
        assertEquals(
                "invalid packet ignored in state ESTABLISHED ",
                words(KernelProfile.V5_10, CtReason.IGNORED_IN_STATE),
                "5.10 still has the 4.19 text");
    }

    @Test
    void invalidNewIsLoggedFrom612Only() {
        assertNull(words(KernelProfile.V6_6, CtReason.INVALID_NEW));
        assertEquals("invalid new", words(KernelProfile.V6_12, CtReason.INVALID_NEW));
    }

    @Test
    void linux419Before44LogsNothingAtAll() {
        Kernel early = Kernel.at(Release.parse("4.19.43"));
        Kernel fixed = Kernel.at(Release.parse("4.19.44"));
        for (CtReason code : CtReason.values()) {
            if (code != CtReason.TABLE_FULL) {
                assertNull(words(early, code), code + " on 4.19.43");
            }
        }
        assertEquals("invalid rst", words(fixed, CtReason.INVALID_RST));
        assertEquals(
                CtReason.INVALID_RST, line(early, CtReason.INVALID_RST).code(), "the code is kept, only not logged");
    }

    @Test
    void anEmptyLineHasNoWordsAndACopyOutlivesTheOriginal() {
        LoggedReason line = new LoggedReason(KernelProfile.V6_18);
        assertNull(line.code());
        assertNull(line.words());
        line.log(CtReason.SEQ_OVER_UPPER_BOUND, 70001);
        LoggedReason kept = new LoggedReason();
        kept.copyFrom(line);
        line.clear();
        assertNull(line.words());
        assertEquals("SEQ is over upper bound 70001 (over the window of the receiver)", kept.words());
    }

    private static String words(Kernel kernel, CtReason code) {
        return line(kernel, code).words();
    }

    private static LoggedReason line(Kernel kernel, CtReason code) {
        LoggedReason line = new LoggedReason(kernel);
        switch (code) {
            case INVALID_IN_STATE, IGNORED_IN_STATE -> line.log(code, 3, 1, STATE_ESTABLISHED);
            case BYTES_MORE_THAN_EXPECTED,
                    SEQ_OVER_UPPER_BOUND,
                    ACK_OVER_UPPER_BOUND,
                    SEQ_UNDER_LOWER_BOUND,
                    ACK_UNDER_LOWER_BOUND -> line.log(code, -1); // u32: printed unsigned
            case OUTER_DADDR_MISMATCH -> line.log(code, Ip4.parse("10.0.0.254"), Ip4.parse("10.244.1.5"), 0);
            default -> line.log(code);
        }
        return line;
    }
}
