package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The packed record of {@link EntryLayout}: every field round-trips and no field disturbs another. */
class EntryStoreTest {

    @Test
    void everyFieldRoundTripsWithoutDisturbingItsNeighbours() {
        EntryStore s = new EntryStore(16);
        int a = s.allocate();
        int b = s.allocate();
        fill(s, a, 0);
        fill(s, b, 1000);
        check(s, a, 0);
        check(s, b, 1000);
    }

    @Test
    void deadlineKeepsAllSixtyFourBits() {
        EntryStore s = new EntryStore(16);
        int e = s.allocate();
        for (long v : new long[] {
            0,
            -1,
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            0x8000_0000L,
            0xffff_ffffL,
            1_700_000_000_123_456_789L,
            -432_000_000_000_000L
        }) {
            s.setDeadline(e, v);
            assertEquals(v, s.deadline(e));
        }
    }

    @Test
    void retransWrapsAsTheKernelsU8() {
        EntryStore s = new EntryStore(16);
        int e = s.allocate();
        s.setLastWin(e, 0xfedc);
        for (int i = 0; i < 700; i++) {
            assertEquals(i % 256, s.retrans(e));
            s.incrementRetrans(e);
        }
        assertEquals(700 % 256, s.retrans(e));
        assertEquals(0xfedc, s.lastWin(e));
        s.clearRetrans(e);
        assertEquals(0, s.retrans(e));
        s.incrementRetrans(e);
        assertEquals(1, s.retrans(e));
        assertEquals(0xfedc, s.lastWin(e));
    }

    @Test
    void flagsOfBothDirectionsAreSetClearedAndOredIndependently() {
        EntryStore s = new EntryStore(16);
        int e = s.allocate();
        s.setTcpState(e, TcpState.SYN_SENT2.ordinal());
        s.setLastDir(e, 1);
        s.addTdFlags(TupleHashRef.original(e), TcpSeenFlags.F_CLOSE_INIT | TcpSeenFlags.F_SIMULTANEOUS_OPEN);
        s.addTdFlags(TupleHashRef.reply(e), TcpSeenFlags.F_DATA_UNACKNOWLEDGED);
        assertEquals(TcpSeenFlags.F_CLOSE_INIT | TcpSeenFlags.F_SIMULTANEOUS_OPEN, s.tdFlags(TupleHashRef.original(e)));
        assertEquals(
                TcpSeenFlags.F_CLOSE_INIT | TcpSeenFlags.F_SIMULTANEOUS_OPEN | TcpSeenFlags.F_DATA_UNACKNOWLEDGED,
                s.tdFlagsEither(e));
        s.removeTdFlags(2 * e, TcpSeenFlags.F_CLOSE_INIT);
        assertEquals(TcpSeenFlags.F_SIMULTANEOUS_OPEN, s.tdFlags(TupleHashRef.original(e)));
        assertEquals(TcpSeenFlags.F_DATA_UNACKNOWLEDGED, s.tdFlags(TupleHashRef.reply(e)));
        assertEquals(TcpState.SYN_SENT2.ordinal(), s.tcpState(e));
        assertEquals(1, s.lastDir(e));
    }

    @Test
    void freedEntriesAreReusedZeroedAndTheArraysGrow() {
        EntryStore s = new EntryStore(16);
        int first = s.allocate();
        fill(s, first, 7);
        s.free(first);
        assertFalse(s.inUse(first));
        int again = s.allocate();
        assertEquals(first, again);
        assertTrue(s.inUse(again));
        assertEquals(0, s.status(again));
        assertEquals(0, s.deadline(again));
        assertEquals(0, s.tdFlagsEither(again));
        assertEquals(0, s.retrans(again));
        for (int i = 1; i < 100; i++) {
            fill(s, s.allocate(), i);
        }
        for (int i = 1; i < 100; i++) {
            check(s, i, i);
        }
        assertEquals(100, s.live());
    }

    @Test
    void theArraysDoubleKeepingEveryEntryAndFreedIdsAreReusedWithoutGrowth() {
        EntryStore s = new EntryStore(TableMemory.INITIAL_ENTRIES);
        int n = 5_000;
        int grown = 0;
        int previous = s.capacity();
        for (int i = 0; i < n; i++) {
            int e = s.allocate();
            assertEquals(i, e);
            fill(s, e, i);
            if (s.capacity() != previous) {
                // doubling, as the heap it leaves behind is least (an eighth at a time left nine
                // times the final arrays as garbage, src/docs/benchmarks.md section 4, session 11)
                assertEquals(2 * previous, s.capacity());
                grown++;
                previous = s.capacity();
            }
        }
        assertEquals(TableMemory.ceilPow2(n), s.capacity());
        assertEquals(5, grown);
        for (int i = 0; i < n; i++) {
            check(s, i, i);
        }
        // closed connections' entries are taken again, newest freed first, zeroed, without growing
        int capacity = s.capacity();
        for (int i = 0; i < n; i += 2) {
            s.free(i);
        }
        for (int i = n - 2; i >= 0; i -= 2) {
            int e = s.allocate();
            assertEquals(i, e);
            assertEquals(0, s.status(e));
            assertEquals(0, s.deadline(e));
            fill(s, e, i + 1);
        }
        assertEquals(capacity, s.capacity());
        assertEquals(n, s.live());
        for (int i = 1; i < n; i += 2) {
            check(s, i, i);
            check(s, i - 1, i);
        }
    }

    @Test
    void aSecondFreeOfTheSameEntryIsAnInternalErrorNotACorruptFreeList() {
        EntryStore s = new EntryStore(16);
        int a = s.allocate();
        int b = s.allocate();
        s.free(a);
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> s.free(a));
        assertTrue(x.getMessage().contains("double free"), x.getMessage());
        assertThrows(IllegalStateException.class, () -> s.free(5)); // never handed out
        assertThrows(IllegalStateException.class, () -> s.free(-1));
        // the free list still holds a once: the next two allocations are a, then a fresh id
        assertEquals(1, s.freeListLength());
        assertEquals(a, s.allocate());
        int c = s.allocate();
        assertTrue(c != a && c != b, "fresh id " + c);
        assertEquals(0, s.freeListLength());
        assertEquals(3, s.live());
    }

    @Test
    void bothTuplesAndTheProtocolRoundTripByTupleHashRef() {
        EntryStore s = new EntryStore(16);
        int a = s.allocate();
        int b = s.allocate();
        s.setTuples(a, 1, 2, 3, 4, 6);
        s.setTuples(b, 5, 6, 7, 8, 17);
        assertEquals(1, s.keyHigh(TupleHashRef.original(a)));
        assertEquals(2, s.keyLow(TupleHashRef.original(a)));
        assertEquals(3, s.keyHigh(TupleHashRef.reply(a)));
        assertEquals(4, s.keyLow(TupleHashRef.reply(a)));
        assertEquals(7, s.keyHigh(TupleHashRef.of(b, 1)));
        assertEquals(8, s.keyLow(TupleHashRef.of(b, 1)));
        s.setKey(TupleHashRef.reply(a), 30, 40);
        assertEquals(30, s.keyHigh(TupleHashRef.reply(a)));
        assertEquals(40, s.keyLow(TupleHashRef.reply(a)));
        assertEquals(1, s.keyHigh(TupleHashRef.original(a)));
        assertEquals(5, s.keyHigh(TupleHashRef.original(b)));
        assertEquals(6, s.protocol(a));
        assertEquals(17, s.protocol(b));
    }

    @Test
    void theFieldsInTheTuplesSpareBitsLeaveTheKeysAlone() {
        EntryStore s = new EntryStore(16);
        int e = s.allocate();
        long fullKey = EntryLayout.KEY_LOW_MASK;
        s.setLastFlags(e, 0xff);
        s.setLastWscale(e, -1);
        s.setTuples(e, -1, fullKey, -1, fullKey, 255);
        s.setZone(e, 0xffff);
        assertEquals(fullKey, s.keyLow(TupleHashRef.original(e)));
        assertEquals(fullKey, s.keyLow(TupleHashRef.reply(e)));
        assertEquals(255, s.protocol(e));
        assertEquals(0xffff, s.zone(e));
        assertEquals(0xff, s.lastFlags(e));
        assertEquals(-1, s.lastWscale(e));
        // NAT's nf_conntrack_alter_reply() rewrites the reply tuple: the SYN annotations stay
        s.setKey(TupleHashRef.reply(e), 0, 0);
        assertEquals(0, s.keyLow(TupleHashRef.reply(e)));
        assertEquals(0xff, s.lastFlags(e));
        assertEquals(-1, s.lastWscale(e));
        s.setLastFlags(e, 0);
        s.setLastWscale(e, 14);
        s.setZone(e, 1);
        assertEquals(0, s.lastFlags(e));
        assertEquals(14, s.lastWscale(e));
        assertEquals(1, s.zone(e));
        assertEquals(255, s.protocol(e));
        assertEquals(fullKey, s.keyLow(TupleHashRef.original(e)));
        assertEquals(-1, s.keyHigh(TupleHashRef.original(e)));
    }

    @Test
    void udpStreamTsKeepsAllSixtyFourBitsInTheRowsOfLastSeqAndLastAck() {
        EntryStore s = new EntryStore(16);
        int e = s.allocate();
        for (long v : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xffff_ffffL, 2_000_000_000L}) {
            s.setStreamTs(e, v);
            assertEquals(v, s.streamTs(e));
            assertEquals((int) v, s.lastSeq(e));
            assertEquals((int) (v >>> 32), s.lastAck(e));
        }
        assertEquals(0, s.lastEnd(e));
        assertEquals(0, s.tdEnd(TupleHashRef.original(e)));
    }

    @Test
    void theMarkArrayIsMadeOnlyWhenARuleSetsAMark() {
        EntryStore s = new EntryStore(16);
        int a = s.allocate();
        int b = s.allocate();
        long unmarked = s.heapBytes();
        s.setMark(a, 0);
        assertEquals(unmarked, s.heapBytes(), "a mark of 0 is every entry's mark already");
        assertEquals(0, s.mark(a));
        s.setMark(b, 0x5a);
        assertEquals(unmarked + TableMemory.intArray(s.capacity()), s.heapBytes());
        assertEquals(0, s.mark(a));
        assertEquals(0x5a, s.mark(b));
        for (int i = 0; i < 40; i++) { // through a doubling: the marks are copied with the rest
            s.allocate();
        }
        assertEquals(0x5a, s.mark(b));
        s.free(b);
        assertEquals(b, s.allocate());
        assertEquals(0, s.mark(b), "a reused entry starts unmarked");
    }

    /** A 40-bit {@link ConnTable#keyLow} drawn from {@code base}, its top bit set. */
    private static long keyLow(int base) {
        return ConnTable.keyLow(0x80 | base, base * 13, ~base);
    }

    private static void fill(EntryStore s, int e, int base) {
        s.setStatus(e, base + 1);
        s.setDeadline(e, -(base + 2L) << 33);
        s.setTcpState(e, (base + 3) % 10);
        s.setLastDir(e, base & 1 ^ 1);
        s.setLastIndex(e, (base + 4) % 6);
        s.setLastSeq(e, base + 5);
        s.setLastAck(e, base + 6);
        s.setLastEnd(e, base + 7);
        s.setLastWin(e, 0xffff - base);
        s.setLastFlags(e, 0x80 | base & 0x7f);
        s.setLastWscale(e, base % 15);
        s.setTuples(e, ~(long) base, keyLow(base), base * 31L, keyLow(base + 1), (base + 5) & 0xff);
        s.setZone(e, base * 7 & 0xffff);
        s.setMark(e, ~base);
        for (int dir = 0; dir < 2; dir++) {
            int d = TupleHashRef.of(e, dir);
            s.setTdEnd(d, base + 10 * dir + 8);
            s.setTdMaxEnd(d, base + 10 * dir + 9);
            s.setTdMaxWin(d, base + 10 * dir + 10);
            s.setTdMaxAck(d, base + 10 * dir + 11);
            s.setTdScale(d, (base + dir) % 15);
            s.setTdFlags(d, (base + 12 + dir) & 0xff);
        }
    }

    private static void check(EntryStore s, int e, int base) {
        assertEquals(base + 1, s.status(e));
        assertEquals(-(base + 2L) << 33, s.deadline(e));
        assertEquals((base + 3) % 10, s.tcpState(e));
        assertEquals(base & 1 ^ 1, s.lastDir(e));
        assertEquals((base + 4) % 6, s.lastIndex(e));
        assertEquals(base + 5, s.lastSeq(e));
        assertEquals(base + 6, s.lastAck(e));
        assertEquals(base + 7, s.lastEnd(e));
        assertEquals(0xffff - base, s.lastWin(e));
        assertEquals(0x80 | base & 0x7f, s.lastFlags(e));
        assertEquals(base % 15, s.lastWscale(e));
        assertEquals(~(long) base, s.keyHigh(TupleHashRef.original(e)));
        assertEquals(keyLow(base), s.keyLow(TupleHashRef.original(e)));
        assertEquals(base * 31L, s.keyHigh(TupleHashRef.reply(e)));
        assertEquals(keyLow(base + 1), s.keyLow(TupleHashRef.reply(e)));
        assertEquals((base + 5) & 0xff, s.protocol(e));
        assertEquals(base * 7 & 0xffff, s.zone(e));
        assertEquals(~base, s.mark(e));
        for (int dir = 0; dir < 2; dir++) {
            int d = TupleHashRef.of(e, dir);
            assertEquals(base + 10 * dir + 8, s.tdEnd(d));
            assertEquals(base + 10 * dir + 9, s.tdMaxEnd(d));
            assertEquals(base + 10 * dir + 10, s.tdMaxWin(d));
            assertEquals(base + 10 * dir + 11, s.tdMaxAck(d));
            assertEquals((base + dir) % 15, s.tdScale(d));
            assertEquals((base + 12 + dir) & 0xff, s.tdFlags(d));
        }
    }
}
