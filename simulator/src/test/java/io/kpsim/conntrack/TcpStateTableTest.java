package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cell of {@code tcp_conntracks[2][6][10]}, for both kernels: the table value as transcribed
 * from {@code nf_conntrack_proto_tcp.c}, and what a packet of that class does to a connection
 * driven into that state.
 */
class TcpStateTableTest {

    private static final String[] NAMES = {"sNO", "sSS", "sSR", "sES", "sFW", "sCW", "sLA", "sTW", "sCL", "sS2"};
    /** The kernel's table, rows syn, synack, fin, ack, rst, none; sIV = 10, sIG = 11. */
    private static final String[][] KERNEL = {
        {
            "sSS sSS sIG sIG sIG sIG sIG sSS sSS sS2",
            "sIV sIV sSR sIV sIV sIV sIV sIV sIV sSR",
            "sIV sIV sFW sFW sLA sLA sLA sTW sCL sIV",
            "sES sIV sES sES sCW sCW sTW sTW sCL sIV",
            "sIV sCL sCL sCL sCL sCL sCL sCL sCL sCL",
            "sIV sIV sIV sIV sIV sIV sIV sIV sIV sIV"
        },
        {
            "sIV sS2 sIV sIV sIV sIV sIV sSS sIV sS2",
            "sIV sSR sIG sIG sIG sIG sIG sIG sIG sSR",
            "sIV sIV sFW sFW sLA sLA sLA sTW sCL sIV",
            "sIV sIG sSR sES sCW sCW sTW sTW sCL sIG",
            "sIV sCL sCL sCL sCL sCL sCL sCL sCL sCL",
            "sIV sIV sIV sIV sIV sIV sIV sIV sIV sIV"
        }
    };

    static Stream<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        for (KernelProfile k : List.of(KernelProfile.V4_19, KernelProfile.V6_18)) {
            for (int dir = 0; dir < 2; dir++) {
                for (int index = 0; index < 6; index++) {
                    for (int state = 0; state < 10; state++) {
                        out.add(Arguments.of(k, dir, index, state));
                    }
                }
            }
        }
        return out.stream();
    }

    private static int expected(int dir, int index, int state) {
        String cell = KERNEL[dir][index].split(" ")[state];
        return switch (cell) {
            case "sIV" -> TcpConntrackTable.IV;
            case "sIG" -> TcpConntrackTable.IG;
            default -> List.of(NAMES).indexOf(cell);
        };
    }

    @ParameterizedTest(name = "{0} dir={1} index={2} state={3}")
    @MethodSource("cells")
    void tableCellMatchesKernelAndBehaviour(KernelProfile k, int dir, int index, int state) {
        int next = expected(dir, index, state);
        assertEquals(next, TcpConntrackTable.next(dir, index, state));
        if (state == 0 && dir == 1) {
            return; // "sNO -> sIV Never reached": a reply needs an entry, and entries are never NONE
        }
        Flow f = new Flow(k);
        if (state > 0) {
            driveTo(f, state);
            assertEquals(TcpState.values()[state], f.state(), "setup");
        }
        int entry = f.entry;
        CtResult r = sendClass(f, dir, index);
        if (state == 0) {
            if (next == TcpConntrackTable.IV) {
                assertEquals(CtState.INVALID, r.state());
            } else {
                assertEquals(CtState.NEW, r.state());
                assertEquals(TcpState.values()[next], f.ct.tcpState(r.entry()));
            }
            return;
        }
        if (next == TcpConntrackTable.IV) {
            assertEquals(CtState.INVALID, r.state(), r.toString());
            assertEquals(TcpState.values()[state], f.ct.tcpState(entry));
        } else if (next == TcpConntrackTable.IG) {
            assertTrue(r.tracked(), r.toString());
            assertTrue(r.ignored(), r.toString());
            assertEquals(TcpState.values()[state], f.ct.tcpState(entry));
        } else if (next == TcpState.SYN_SENT.ordinal() && state >= TcpState.TIME_WAIT.ordinal()) {
            // reopen: the closed entry is killed and the SYN creates a fresh one (-NF_REPEAT)
            assertEquals(CtState.NEW, r.state(), r.toString());
            assertEquals(CtDir.ORIGINAL, r.dir());
            assertNotEquals(entry, r.entry());
            assertEquals(TcpState.SYN_SENT, f.ct.tcpState(r.entry()));
        } else if (index == TcpConntrackTable.RST_SET && (f.ct.status(entry) & Status.SEEN_REPLY) == 0) {
            // "If only reply is a RST ... delete the conntrack immediately"
            assertTrue(r.tracked(), r.toString());
            assertFalse(f.ct.alive(entry));
        } else {
            assertTrue(r.tracked(), r.toString());
            assertFalse(r.ignored(), r.toString());
            int want = next;
            if (state == TcpState.SYN_SENT2.ordinal() && dir == 1 && index == TcpConntrackTable.ACK_SET) {
                want = TcpState.ESTABLISHED.ordinal();
            }
            assertEquals(TcpState.values()[want], f.ct.tcpState(entry), r.toString());
        }
    }

    /** Client ISN 1000, server ISN 5000; the client is ORIGINAL. */
    static void driveTo(Flow f, int state) {
        TcpState target = TcpState.values()[state];
        f.client(Flow.SYN, 1000, 0);
        f.cSeq = 1001;
        if (target == TcpState.SYN_SENT) {
            return;
        }
        if (target == TcpState.SYN_SENT2) {
            f.server(Flow.SYN, 5000, 0);
            f.sSeq = 5001;
            return;
        }
        f.server(Flow.SYNACK, 5000, 1001);
        f.sSeq = 5001;
        if (target == TcpState.SYN_RECV) {
            return;
        }
        f.client(Flow.ACK, 1001, 5001);
        if (target == TcpState.ESTABLISHED) {
            return;
        }
        if (target == TcpState.CLOSE) {
            f.client(Flow.RST, 1001, 0);
            return;
        }
        f.client(Flow.FINACK, 1001, 5001);
        f.cSeq = 1002;
        if (target == TcpState.FIN_WAIT) {
            return;
        }
        f.server(Flow.ACK, 5001, 1002);
        if (target == TcpState.CLOSE_WAIT) {
            return;
        }
        f.server(Flow.FINACK, 5001, 1002);
        f.sSeq = 5002;
        if (target == TcpState.LAST_ACK) {
            return;
        }
        f.client(Flow.ACK, 1002, 5002);
    }

    /** A packet of flag class {@code index} in {@code dir}, with the current sequence numbers. */
    static CtResult sendClass(Flow f, int dir, int index) {
        int flags = switch (index) {
            case TcpConntrackTable.SYN_SET -> TcpFlags.SYN;
            case TcpConntrackTable.SYNACK_SET -> TcpFlags.SYN | TcpFlags.ACK;
            case TcpConntrackTable.FIN_SET -> TcpFlags.FIN | TcpFlags.ACK;
            case TcpConntrackTable.ACK_SET -> TcpFlags.ACK;
            case TcpConntrackTable.RST_SET -> TcpFlags.RST;
            default -> 0;
        };
        boolean syn = (flags & TcpFlags.SYN) != 0;
        int cSeq = f.cSeq == 0 ? 1000 : f.cSeq;
        int sSeq = f.sSeq == 0 ? 5000 : f.sSeq;
        int ack = (flags & TcpFlags.ACK) == 0 ? 0 : dir == 0 ? sSeq : cSeq;
        TcpOptions opt = syn ? TcpOptions.syn(1460, TcpOptions.ABSENT, true) : TcpOptions.NONE;
        if (dir == 0) {
            return f.client(flags, syn ? 1000 : cSeq, ack, 65535, 0, opt);
        }
        return f.server(flags, syn ? 5000 : sSeq, ack, 65535, 0, opt);
    }
}
