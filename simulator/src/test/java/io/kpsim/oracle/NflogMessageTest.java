package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.pcap.Ipv4Encoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NflogMessageTest {

    /** A DLT_NFLOG record as libpcap delivers it: nfgenmsg, then little-endian TLVs. */
    static byte[] nflog(int hook, String prefix, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {2, 0, 0, 0});
        tlv(b, 1, new byte[] {0x08, 0x00, (byte) hook, 0});
        if (prefix != null) {
            byte[] p = (prefix + "\0").getBytes(StandardCharsets.UTF_8);
            tlv(b, 10, p);
        }
        if (payload != null) {
            tlv(b, 9, payload);
        }
        return b.toByteArray();
    }

    private static void tlv(ByteArrayOutputStream b, int type, byte[] value) {
        int length = 4 + value.length;
        b.write(length & 0xff);
        b.write(length >>> 8);
        b.write(type);
        b.write(0);
        b.writeBytes(value);
        for (int i = length; i % 4 != 0; i++) {
            b.write(0);
        }
    }

    @Test
    void conntrackReasonLosesItsTag() {
        NflogMessage m = NflogMessage.parse(
                nflog(0, "nf_ct_proto_6: SEQ is over upper bound 69242 (over the window of the receiver) ", null));
        assertEquals(NflogMessage.HOOK_PRE_ROUTING, m.hook());
        assertEquals("SEQ is over upper bound 69242 (over the window of the receiver)", m.conntrackReason());
        assertNull(m.mark());
    }

    @Test
    void forwardMarkNamesStateAndDirection() {
        byte[] payload = Ipv4Encoder.encode(WireIpv4Test.syn());
        NflogMessage m = NflogMessage.parse(nflog(2, "kpsim-forward ESTABLISHED REPLY", payload));
        assertEquals(StateMark.ESTABLISHED_REPLY, m.mark());
        assertEquals(CtState.ESTABLISHED, m.mark().state());
        assertEquals(CtDir.REPLY, m.mark().dir());
        assertNull(m.conntrackReason());
        assertEquals(77, m.packet().ipId());
    }

    @Test
    void aForwardPrefixSeenInPreroutingIsNoMark() {
        assertNull(NflogMessage.parse(nflog(0, "kpsim-forward INVALID", null)).mark());
        assertEquals(
                StateMark.INVALID,
                NflogMessage.parse(nflog(2, "kpsim-forward INVALID", null)).mark());
    }

    @Test
    void everyMarkRoundTrips() {
        for (StateMark m : StateMark.values()) {
            assertEquals(m, StateMark.ofDscp(m.dscp()));
            assertEquals(m, StateMark.ofPrefix(m.nflogPrefix()));
        }
        assertNull(StateMark.ofDscp(0));
    }
}
