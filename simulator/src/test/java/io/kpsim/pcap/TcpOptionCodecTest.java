package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpOptionCodecTest {

    private static byte[] encode(TcpOptions options) {
        byte[] b = new byte[40];
        int n = TcpOptionCodec.encode(options, b, 0);
        assertEquals(options.encodedLength(), n, "encoded length of " + options.tcpdump());
        return java.util.Arrays.copyOf(b, n);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void linuxSynLayoutIsMssSackPermTimestampsNopWindowScale() {
        TcpOptions syn = TcpOptions.syn(1460, 7, true).withTimestamps(0x01020304, 0);
        assertArrayEquals(bytes(2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3, 7), encode(syn));
    }

    @Test
    void sackPermittedWithoutTimestampsRidesBehindTwoNops() {
        assertArrayEquals(bytes(2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 9), encode(TcpOptions.syn(1460, 9, true)));
    }

    @Test
    void sackBlocksFollowTimestampsEachBehindTwoNops() {
        TcpOptions ack = TcpOptions.NONE.withTimestamps(5, 6).withSackBlocks(List.of(new SackBlock(0xfffffff0, 0x10)));
        assertArrayEquals(
                bytes(1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6, 1, 1, 5, 10, 0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0x10),
                encode(ack));
    }

    @Test
    void everyCombinationRoundTrips() {
        List<SackBlock> blocks = List.of(new SackBlock(1, 2), new SackBlock(-5, 7), new SackBlock(100, 200));
        int count = 0;
        for (int mask = 0; mask < 64; mask++) {
            boolean mss = (mask & 1) != 0;
            boolean ws = (mask & 2) != 0;
            boolean sackPerm = (mask & 4) != 0;
            boolean ts = (mask & 8) != 0;
            int sackCount = (mask >> 4) & 3;
            TcpOptions o = new TcpOptions(
                    mss ? 1400 : TcpOptions.ABSENT,
                    ws ? 14 : TcpOptions.ABSENT,
                    sackPerm,
                    blocks.subList(0, sackCount),
                    ts,
                    ts ? -2 : 0,
                    ts ? 77 : 0);
            if (o.encodedLength() > 40) {
                assertThrows(IllegalArgumentException.class, () -> encode(o), o.tcpdump());
                continue;
            }
            byte[] wire = encode(o);
            assertEquals(0, wire.length % 4, o.tcpdump());
            assertEquals(o, TcpOptionCodec.decode(wire, 0, wire.length), o.tcpdump());
            count++;
        }
        assertEquals(58, count, "all but the six layouts over 40 bytes (MSS/WS/TS with 3 SACK blocks)");
    }

    @Test
    void fourSackBlocksWithoutTimestampsFit() {
        List<SackBlock> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(new SackBlock(i * 100, i * 100 + 50));
        }
        TcpOptions o = TcpOptions.NONE.withSackBlocks(four);
        byte[] wire = encode(o);
        assertEquals(36, wire.length);
        assertEquals(four, TcpOptionCodec.decode(wire, 0, wire.length).sackBlocks());
    }

    @Test
    void optionsThatCannotFitAreRejected() {
        List<SackBlock> four =
                List.of(new SackBlock(1, 2), new SackBlock(3, 4), new SackBlock(5, 6), new SackBlock(7, 8));
        TcpOptions o = TcpOptions.NONE.withTimestamps(1, 2).withSackBlocks(four);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encode(o));
        assertTrue(e.getMessage().contains("need 48 bytes"), e.getMessage());
    }

    @Test
    void windowsStyleOrderDecodes() {
        // MSS, NOP, WS, NOP, NOP, SACK_PERM as Windows sends its SYN
        TcpOptions o = TcpOptionCodec.decode(bytes(2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2), 0, 12);
        assertEquals(TcpOptions.syn(1460, 8, true), o);
    }

    @Test
    void unknownOptionsAreSkippedByLength() {
        // TFO cookie (34), MD5 (19, 18 bytes), then timestamps
        byte[] wire = new byte[40];
        int p = 0;
        wire[p++] = 34;
        wire[p++] = 6;
        p += 4;
        wire[p++] = 19;
        wire[p++] = 18;
        p += 16;
        wire[p++] = 8;
        wire[p++] = 10;
        wire[p + 3] = 9;
        p += 8;
        TcpOptions o = TcpOptionCodec.decode(wire, 0, p);
        assertTrue(o.timestamps());
        assertEquals(9, o.tsVal());
        assertFalse(o.hasMss());
    }

    @Test
    void endOfListStopsParsing() {
        TcpOptions o = TcpOptionCodec.decode(bytes(1, 3, 3, 7, 0, 2, 4, 5, 0xb4), 0, 9);
        assertEquals(7, o.windowScale());
        assertFalse(o.hasMss(), "MSS after EOL must not be read");
    }

    @Test
    void sillyOrPartialLengthsStopParsing() {
        assertEquals(
                3,
                TcpOptionCodec.decode(bytes(1, 3, 3, 3, 2, 1, 2, 4, 5, 0xb4), 0, 10)
                        .windowScale());
        assertFalse(
                TcpOptionCodec.decode(bytes(1, 3, 3, 3, 2, 1, 2, 4, 5, 0xb4), 0, 10)
                        .hasMss(),
                "length 1 ends parsing (tcp_parse_options: silly options)");
        assertFalse(TcpOptionCodec.decode(bytes(2, 4, 5), 0, 3).hasMss(), "partial option is not parsed");
        assertSame(TcpOptions.NONE, TcpOptionCodec.decode(bytes(8), 0, 1), "kind without length");
        assertSame(TcpOptions.NONE, TcpOptionCodec.decode(bytes(2, 0, 5, 0xb4), 0, 4), "length 0");
    }

    @Test
    void knownKindsWithWrongLengthAreIgnored() {
        TcpOptions o = TcpOptionCodec.decode(
                bytes(2, 3, 5, 3, 4, 3, 1, 4, 2, 1, 3, 4, 7, 9, 5, 9, 1, 2, 3, 4, 5, 6, 7), 0, 23);
        assertFalse(o.hasMss(), "MSS of length 3");
        assertFalse(o.hasWindowScale(), "window scale of length 4");
        assertTrue(o.sackPermitted(), "well-formed SACK_PERM still counts");
        assertTrue(o.sackBlocks().isEmpty(), "SACK of length 9 is not a whole block");
    }

    @Test
    void noOptionsDecodeToNone() {
        assertSame(TcpOptions.NONE, TcpOptionCodec.decode(bytes(1, 1, 1, 0), 0, 4));
    }
}
