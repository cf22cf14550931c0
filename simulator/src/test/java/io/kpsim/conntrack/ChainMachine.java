package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Packet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The tracker a {@link ConntrackStatefulPropertyTest} chain drives, the flows that drive it, and
 * the reference it is checked against: a map from each tuple the tracker confirmed to the {@link
 * TupleHashRef} (entry and direction) it gave that tuple, kept from the tracker's own answers and
 * pruned when an entry dies.
 *
 * <p>{@link #send} checks each answer against the map as it was before the packet; {@link
 * #checkInvariants} checks the store, the table and the map against each other between steps.
 */
final class ChainMachine {

    /** The flows a chain has: enough to fill a small table, few enough to meet again. */
    static final int FLOWS = 5;

    static final String ESTABLISHED = "established";
    static final String IGNORED = "ignored";
    static final String OUT_OF_WINDOW = "out of window";
    static final String TABLE_FULL = "table full";
    static final String EARLY_DROP = "early drop";
    static final String REOPENED = "reopened";

    private final ChainConfig config;
    private final Conntrack ct;
    private final EntryTable entries;
    private final EntryStore store;
    private final ChainEndpoints[] flows = new ChainEndpoints[FLOWS];
    /** Tuple to the {@link TupleHashRef} the tracker gave it, for every tuple of a live confirmed entry. */
    private final Map<TupleKey, Integer> reference = new HashMap<>();

    private long now = 1_000 * ChainStep.SECOND;

    /** What the chain went through, for the coverage labels. */
    private boolean established;

    private boolean outOfWindow;
    /** A TCP packet was let through unchanged (sIG or a 6.1+ window IGNORE; the kernel counts none). */
    private boolean ignored;

    private boolean tableFull;
    private boolean reopened;

    ChainMachine(ChainConfig config) {
        this.config = config;
        this.ct = new Conntrack(config.kernel(), config.sysctls(), config.seed());
        this.entries = ct.entries();
        this.store = entries.store;
        for (int i = 0; i < FLOWS; i++) {
            flows[i] = new ChainEndpoints(i, config.seed());
        }
    }

    void advance(long nanos) {
        now += nanos;
    }

    void list() {
        ct.list(now);
        prune();
    }

    /** The coverage labels this chain reached so far. */
    Set<String> reached() {
        Set<String> labels = new LinkedHashSet<>();
        ConntrackStats stats = ct.stats();
        label(labels, ESTABLISHED, established);
        label(labels, IGNORED, ignored);
        label(labels, OUT_OF_WINDOW, outOfWindow);
        label(labels, TABLE_FULL, tableFull);
        label(labels, EARLY_DROP, stats.earlyDrop() > 0);
        label(labels, REOPENED, reopened);
        return labels;
    }

    private static void label(Set<String> labels, String label, boolean reached) {
        if (reached) {
            labels.add(label);
        }
    }

    void send(ChainStep.Send s) {
        Packet p = flows[s.flow()].build(s);
        TupleKey key = TupleKey.of(p);
        Integer prior = reference.get(key);
        int priorEntry = prior == null ? Conntrack.NO_ENTRY : TupleHashRef.entry(prior);
        boolean priorFindable = prior != null && ct.findable(priorEntry, now);
        // expired entries may be reaped by the gc worker run that precedes this very packet, and
        // their storage reused by it: forget the tuples of those the packet's run took away
        Set<Integer> reapable = new HashSet<>();
        for (Integer ref : reference.values()) {
            if (!ct.findable(TupleHashRef.entry(ref), now)) {
                reapable.add(ref);
            }
        }
        CtResult r = ct.in(p, s.fate() != ChainStep.Fate.BAD_CHECKSUM, now);
        reference.entrySet().removeIf(kv -> reapable.contains(kv.getValue()) && reaped(kv.getKey(), kv.getValue()));
        established |= r.state() == CtState.ESTABLISHED && !r.ignored();
        ignored |= r.ignored();
        CtReason why = ct.lastReason().code();
        outOfWindow |= why != null && why.name().contains("_BOUND");
        tableFull |= why == CtReason.TABLE_FULL;
        checkAnswer(p, r, prior, priorFindable);
        if (r.tracked() && (ct.status(r.entry()) & Status.CONFIRMED) == 0) {
            // what the POSTROUTING/INPUT hook does, or a later hook dropping the packet
            if (s.fate() != ChainStep.Fate.DROPPED_LATER && ct.confirm(r.entry(), now)) {
                reference.put(key, TupleHashRef.original(r.entry()));
                reference.put(key.inverse(), TupleHashRef.reply(r.entry()));
            } else if (s.fate() == ChainStep.Fate.DROPPED_LATER) {
                ct.discardUnconfirmed(r.entry());
            }
        }
        prune();
    }

    /** The tracker's answer against the reference map, as it was before the packet. */
    /** Whether the entry {@code ref} names is gone or now holds another tuple. */
    private boolean reaped(TupleKey key, int ref) {
        int entry = TupleHashRef.entry(ref);
        return !ct.alive(entry)
                || (ct.status(entry) & Status.CONFIRMED) == 0
                || store.keyHigh(ref) != key.high()
                || store.keyLow(ref) != key.low();
    }

    private void checkAnswer(Packet p, CtResult r, Integer prior, boolean priorFindable) {
        String what = p.summary() + " -> " + r + " (reference: " + prior + ")";
        if (r.verdict() == CtResult.Verdict.DROP) {
            assertTrue(
                    !priorFindable || !ct.alive(TupleHashRef.entry(prior)),
                    "dropped a packet of a live entry: " + what);
            assertEquals(CtReason.TABLE_FULL, ct.lastReason().code(), what);
            return;
        }
        if (!r.tracked()) {
            return; // INVALID: refused, with or without a log line
        }
        if (priorFindable && r.entry() == TupleHashRef.entry(prior)) {
            assertEquals(TupleHashRef.dir(prior), r.dir().ordinal(), "direction of " + what);
            return;
        }
        // A different entry: only a fresh one for a tuple the table did not know (or whose entry
        // just died: expired, or killed to reopen the connection), in the ORIGINAL direction.
        assertTrue(!priorFindable || !ct.alive(TupleHashRef.entry(prior)), "a live entry was bypassed: " + what);
        reopened |= priorFindable;
        assertEquals(CtState.NEW, r.state(), what);
        assertEquals(CtDir.ORIGINAL, r.dir(), what);
        assertEquals(0, ct.status(r.entry()) & Status.CONFIRMED, "a fresh entry is unconfirmed: " + what);
        assertTrue(!reference.containsValue(TupleHashRef.original(r.entry())), "fresh entry in use: " + what);
    }

    /** Forgets the tuples of entries that died (killed, expired and reaped, early-dropped). */
    private void prune() {
        for (Iterator<Map.Entry<TupleKey, Integer>> it = reference.entrySet().iterator(); it.hasNext(); ) {
            if (!ct.alive(TupleHashRef.entry(it.next().getValue()))) {
                it.remove();
            }
        }
    }

    /**
     * The free list and the counts agree with the entries; a confirmed live entry has both
     * tuplehashes in the table and any other entry neither; the table holds exactly the reference
     * map's tuples, each mapped to the same entry and direction.
     */
    void checkInvariants() {
        int highWater = store.highWater();
        int inUse = 0;
        int dying = 0;
        int confirmed = 0;
        int keys = 0;
        for (int e = 0; e < highWater; e++) {
            int original = TupleHashRef.original(e);
            int reply = TupleHashRef.reply(e);
            boolean same =
                    store.keyHigh(original) == store.keyHigh(reply) && store.keyLow(original) == store.keyLow(reply);
            if (!store.inUse(e)) {
                assertAbsent(e, original, "original");
                assertAbsent(e, reply, "reply");
                continue;
            }
            inUse++;
            int status = store.status(e);
            assertTrue(
                    (status & (Status.CONFIRMED | Status.DYING)) != 0,
                    "entry " + e + " left unconfirmed between packets");
            if ((status & Status.DYING) != 0) {
                dying++;
                assertAbsent(e, original, "original");
                assertAbsent(e, reply, "reply");
                continue;
            }
            confirmed++;
            keys += same ? 1 : 2;
            assertEquals(original, tableValue(original), "tuplehash[ORIGINAL] of entry " + e);
            assertEquals(same ? original : reply, tableValue(reply), "tuplehash[REPLY] of entry " + e);
        }
        assertEquals(inUse, store.live(), "store.live()");
        assertEquals(highWater - inUse, store.freeListLength(), "free list length");
        assertEquals(inUse - dying, entries.liveCount(), "entries counting against nf_conntrack_max");
        assertEquals(confirmed, ct.count(), "nf_conntrack_count");
        assertEquals(keys, entries.table.size(), "keys in the table");
        assertTrue(entries.liveCount() <= config.max(), "nf_conntrack_max " + config.max() + " exceeded");
        assertEquals(keys, reference.size(), "the table and the reference map hold the same number of tuples");
        for (Map.Entry<TupleKey, Integer> r : reference.entrySet()) {
            assertEquals(
                    r.getValue().intValue(),
                    entries.table.get(r.getKey().high(), r.getKey().low()),
                    "table lookup of " + r.getKey());
        }
    }

    /** A dead or dying entry's tuple maps to another entry or to nothing. */
    private void assertAbsent(int e, int h, String dir) {
        int v = tableValue(h);
        assertTrue(
                v < 0 || TupleHashRef.entry(v) != e,
                "entry " + e + " is gone but its " + dir + " tuple is in the table");
    }

    private int tableValue(int h) {
        return entries.table.get(store.keyHigh(h), store.keyLow(h));
    }
}
