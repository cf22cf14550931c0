package io.kpsim.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * A stateful property test of {@link Conntrack} (jqwik): random chains of TCP segments in both
 * directions of a few flows (SYN, SYN/ACK, ACK, data, FIN, RST, retransmissions, port reuse with a
 * new ISN, out-of-window sequence and acknowledgement numbers, invalid flag combinations, bad
 * checksums) and clock jumps across the timeouts, on both kernel profiles, under random sysctls
 * ({@code be_liberal}, {@code loose}, {@code max_retrans}, {@code ignore_invalid_rst} on 6.x, and a
 * small {@code nf_conntrack_max} that forces early drop and "table full").
 *
 * <p>After every step: the free list and the entry counts agree with the entries; each confirmed
 * entry has both tuplehashes in the table and every other entry has neither; the table holds exactly
 * the tuples of a reference map built from the results the tracker returned (a NEW entry's two
 * tuples from its confirmation on, until the entry dies); and a packet whose tuple the map knows
 * is given that entry and direction, or a fresh entry only when the old one died on the way. No
 * step may throw.
 *
 * <p>The suite runs 100 chains of up to 60 steps (a few seconds; {@code jqwik.tries.default} in
 * {@code src/test/resources/junit-platform.properties}). For a longer search:
 * {@code mvn -B -pl simulator test -Dtest=ConntrackStatefulPropertyTest -Djqwik.tries.default=20000}
 * (1,000 tries took 97 s on the two-core development machine at a load average of 18, so count on
 * half an hour there). A failure prints the shrunk chain and the seed; jqwik tries that
 * seed first on the next run ({@code target/jqwik-database}).
 */
class ConntrackStatefulPropertyTest {

    private static final long SECOND = 1_000_000_000L;
    private static final int FLOWS = 5;
    private static final int MAX_STEPS = 60;

    @Property
    @StatisticsReport(onFailureOnly = true)
    void conntrackKeepsItsTablesAndItsAnswersConsistent(@ForAll("chains") ActionChain<Machine> chain) {
        Machine m = chain.withInvariant("entries, free list and table agree", Machine::checkInvariants)
                .run();
        // What the chain went through, so that a change that stops exercising a path fails here
        // (the percentages hold with a wide margin at 100 tries and more).
        ConntrackStats stats = m.ct.stats();
        Statistics.label("established").collect(m.established);
        Statistics.label("ignored").collect(m.ignored);
        Statistics.label("out of window").collect(m.outOfWindow);
        Statistics.label("table full").collect(m.tableFull);
        Statistics.label("early drop").collect(stats.earlyDrop() > 0);
        Statistics.label("reopened").collect(m.reopened);
        Statistics.label("established").coverage(c -> c.check(true).percentage(p -> p >= 50));
        Statistics.label("ignored").coverage(c -> c.check(true).percentage(p -> p >= 30));
        Statistics.label("out of window").coverage(c -> c.check(true).percentage(p -> p >= 20));
        Statistics.label("table full").coverage(c -> c.check(true).percentage(p -> p >= 5));
        Statistics.label("early drop").coverage(c -> c.check(true).percentage(p -> p >= 5));
        Statistics.label("reopened").coverage(c -> c.check(true).percentage(p -> p >= 2));
    }

    @Provide
    Arbitrary<ActionChain<Machine>> chains() {
        return configs()
                .flatMap(config -> ActionChain.<Machine>startWith(() -> new Machine(config))
                        .withAction(8, new SendAction())
                        .withAction(3, new ConversationAction(Conversation.HANDSHAKE))
                        .withAction(4, new ConversationAction(Conversation.EXCHANGE))
                        .withAction(1, new ConversationAction(Conversation.CLOSE))
                        .withAction(2, new AdvanceAction())
                        .withAction(
                                1,
                                Action.just(
                                        "conntrack -L (reaps expired entries)",
                                        Transformer.mutate("list", Machine::list)))
                        .withMaxTransformations(MAX_STEPS));
    }

    private static Arbitrary<Config> configs() {
        return Combinators.combine(
                        Arbitraries.of(KernelProfile.V4_19, KernelProfile.V6_18),
                        Arbitraries.of(false, true),
                        Arbitraries.of(false, true),
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.of(false, true),
                        Arbitraries.of(2, 3, 5, 8, 64), // 64: more than the flows can use
                        Arbitraries.longs())
                .as(Config::new);
    }

    /** One tracker's sysctls and hash seed. */
    record Config(
            KernelProfile kernel,
            boolean beLiberal,
            boolean loose,
            int maxRetrans,
            boolean ignoreInvalidRst,
            int max,
            long seed) {

        Sysctls sysctls() {
            Sysctls s = Sysctls.defaults(kernel)
                    .with("nf_conntrack_tcp_be_liberal", beLiberal ? "1" : "0")
                    .with("nf_conntrack_tcp_loose", loose ? "1" : "0")
                    .with("nf_conntrack_tcp_max_retrans", Integer.toString(maxRetrans))
                    .with("nf_conntrack_max", Integer.toString(max))
                    // few buckets, so that early_drop()'s eight buckets hold entries to evict
                    .with("nf_conntrack_buckets", "16");
            return kernel == KernelProfile.V6_18
                    ? s.with("nf_conntrack_tcp_ignore_invalid_rst", ignoreInvalidRst ? "1" : "0")
                    : s;
        }
    }

    /** What a segment is, relative to its sender's state. */
    enum Kind {
        SYN,
        /** A SYN with a fresh ISN: the client reusing the port, or a server starting over. */
        SYN_NEW_ISN,
        SYNACK,
        ACK,
        DATA,
        FIN,
        RST,
        RSTACK,
        /** The sender's previous segment again. */
        RETRANSMISSION,
        /** Data far outside the receiver's window. */
        OUT_OF_WINDOW_SEQ,
        /** An ACK of data never sent, or of data long acknowledged. */
        OUT_OF_WINDOW_ACK,
        /** SYN|FIN, no flags at all, or FIN without ACK. */
        BAD_FLAGS
    }

    /**
     * One segment to send: from the client ({@code fromServer} false) or the server of flow
     * {@code flow}. {@code variant} picks the SYN options (bit 0: window scale 7, bit 1: SACK
     * permitted) or, for data, a SACK block; {@code fate} 0 is a bad checksum, 1 a packet a later
     * hook drops (its new entry is never confirmed), anything else a packet that goes through.
     */
    record Segment(int flow, boolean fromServer, Kind kind, int length, int offset, int window, int variant, int fate) {

        boolean checksumValid() {
            return fate != 0;
        }

        boolean confirm() {
            return fate != 1;
        }

        @Override
        public String toString() {
            return "flow " + flow + (fromServer ? " server->client " : " client->server ") + kind + " len "
                    + length + " off " + offset + " win " + window + " variant " + variant
                    + (checksumValid() ? "" : " BAD-CSUM") + (confirm() ? "" : " unconfirmed");
        }
    }

    static final class SendAction implements Action.Independent<Machine> {
        @Override
        public Arbitrary<Transformer<Machine>> transformer() {
            return Combinators.combine(
                            Arbitraries.integers().between(0, FLOWS - 1),
                            Arbitraries.of(false, true),
                            Arbitraries.of(Kind.values()),
                            Arbitraries.integers().between(1, 3000),
                            Arbitraries.oneOf(
                                    Arbitraries.integers().between(-70_000, 70_000),
                                    Arbitraries.of(Integer.MIN_VALUE, 1 << 30, -(1 << 30))),
                            Arbitraries.of(0, 1, 502, 65535),
                            Arbitraries.integers().between(0, 3),
                            Arbitraries.integers().between(0, 19))
                    .as(Segment::new)
                    .map(s -> Transformer.mutate(s.toString(), m -> m.send(s)));
        }
    }

    /** Segments in the order well-behaved endpoints send them, so that connections get established and closed. */
    enum Conversation {
        /** SYN, SYN/ACK, ACK. */
        HANDSHAKE(new Kind[] {Kind.SYN, Kind.SYNACK, Kind.ACK}, new boolean[] {false, true, false}),
        /** Data each way, each acknowledged. */
        EXCHANGE(new Kind[] {Kind.DATA, Kind.ACK, Kind.DATA, Kind.ACK}, new boolean[] {false, true, true, false}),
        /** FIN, ACK, FIN, ACK. */
        CLOSE(new Kind[] {Kind.FIN, Kind.ACK, Kind.FIN, Kind.ACK}, new boolean[] {false, true, true, false});

        final Kind[] kinds;
        final boolean[] fromServer;

        Conversation(Kind[] kinds, boolean[] fromServer) {
            this.kinds = kinds;
            this.fromServer = fromServer;
        }
    }

    /** A {@link Conversation} on one flow, started by the client or (roles swapped) the server. */
    static final class ConversationAction implements Action.Independent<Machine> {
        private final Conversation conversation;

        ConversationAction(Conversation conversation) {
            this.conversation = conversation;
        }

        @Override
        public Arbitrary<Transformer<Machine>> transformer() {
            return Combinators.combine(
                            Arbitraries.integers().between(0, FLOWS - 1),
                            Arbitraries.integers().between(0, 9).map(i -> i == 0),
                            Arbitraries.integers().between(1, 1460),
                            Arbitraries.integers().between(0, 3))
                    .as((flow, swapped, length, variant) -> Transformer.<Machine>mutate(
                            conversation + " flow " + flow + (swapped ? " (server first)" : "") + " len " + length
                                    + " variant " + variant,
                            m -> {
                                for (int i = 0; i < conversation.kinds.length; i++) {
                                    boolean fromServer = conversation.fromServer[i] ^ swapped;
                                    m.send(new Segment(
                                            flow, fromServer, conversation.kinds[i], length, 0, 502, variant, 2));
                                }
                            }));
        }
    }

    static final class AdvanceAction implements Action.Independent<Machine> {
        @Override
        public Arbitrary<Transformer<Machine>> transformer() {
            // from a retransmission's delay to past every TCP timeout (established: 5 days)
            return Arbitraries.of(SECOND / 1000, SECOND, 30 * SECOND, 130 * SECOND, 3_600 * SECOND, 6 * 86_400 * SECOND)
                    .map(nanos -> Transformer.mutate("advance " + nanos / 1_000_000 + " ms", m -> m.advance(nanos)));
        }
    }

    /** One endpoint pair and what each side sent last. */
    static final class Endpoints {
        final int clientIp;
        final int serverIp;
        final int clientPort;
        final int serverPort;
        /** Next sequence number to send, by sender (0 client, 1 server). */
        final int[] next = new int[2];

        final int[] isn = new int[2];
        final Packet[] last = new Packet[2];

        Endpoints(int i, long seed) {
            clientIp = Ip4.parse("10.244.1." + (1 + i % 3));
            serverIp = Ip4.parse("10.96.0." + (10 + i % 2));
            clientPort = 40000 + i;
            serverPort = 80;
            isn[0] = (int) (seed * 0x9e3779b97f4a7c15L >>> 32) + i * 100_000;
            isn[1] = isn[0] ^ 0x5a5a_0000;
            next[0] = isn[0] + 1;
            next[1] = isn[1] + 1;
        }
    }

    /** The tracker under test, the endpoints driving it and the reference map. */
    static final class Machine {
        final Config config;
        final Conntrack ct;
        final EntryTable entries;
        final EntryStore store;
        final Endpoints[] flows = new Endpoints[FLOWS];
        /** Tuple key ({@code keyHigh}, {@code keyLow}) to the {@link TupleHashRef} the tracker gave it. */
        final Map<Key, Integer> reference = new HashMap<>();

        long now = 1_000 * SECOND;

        Machine(Config config) {
            this.config = config;
            this.ct = new Conntrack(config.kernel(), config.sysctls(), config.seed());
            this.entries = ct.entries();
            this.store = entries.store;
            for (int i = 0; i < FLOWS; i++) {
                flows[i] = new Endpoints(i, config.seed());
            }
        }

        void advance(long nanos) {
            now += nanos;
        }

        void list() {
            ct.list(now);
            prune();
        }

        /** What happened in this chain, for the statistics. */
        boolean established;

        boolean outOfWindow;
        /** A TCP packet was let through unchanged (sIG or a 6.1+ window IGNORE; the kernel counts none). */
        boolean ignored;

        boolean tableFull;
        boolean reopened;

        void send(Segment s) {
            Endpoints f = flows[s.flow()];
            Packet p = build(f, s);
            Key key = Key.of(p);
            Integer prior = reference.get(key);
            int priorEntry = prior == null ? Conntrack.NO_ENTRY : TupleHashRef.entry(prior);
            boolean priorFindable = prior != null && ct.findable(priorEntry, now);
            // expired entries may be reaped by the gc worker run that precedes this very packet, and
            // their storage reused by it: forget the tuples of those the packet's run took away
            java.util.Set<Integer> reapable = new java.util.HashSet<>();
            reference.values().stream()
                    .filter(v -> !ct.findable(TupleHashRef.entry(v), now))
                    .forEach(reapable::add);
            CtResult r = ct.in(p, s.checksumValid(), now);
            reference
                    .entrySet()
                    .removeIf(kv -> reapable.contains(kv.getValue())
                            && (!ct.alive(TupleHashRef.entry(kv.getValue()))
                                    || (ct.status(TupleHashRef.entry(kv.getValue())) & Status.CONFIRMED) == 0
                                    || store.keyHigh(kv.getValue())
                                            != kv.getKey().high()
                                    || store.keyLow(kv.getValue())
                                            != kv.getKey().low()));
            established |= r.state() == CtState.ESTABLISHED && !r.ignored();
            ignored |= r.ignored();
            CtReason why = ct.lastReason().code();
            outOfWindow |= why != null && why.name().contains("_BOUND");
            tableFull |= why == CtReason.TABLE_FULL;
            checkAnswer(p, r, prior, priorFindable);
            if (r.tracked() && (ct.status(r.entry()) & Status.CONFIRMED) == 0) {
                // what the POSTROUTING/INPUT hook does, or a later hook dropping the packet
                if (s.confirm() && ct.confirm(r.entry(), now)) {
                    reference.put(key, TupleHashRef.original(r.entry()));
                    reference.put(key.inverse(), TupleHashRef.reply(r.entry()));
                } else if (!s.confirm()) {
                    ct.discardUnconfirmed(r.entry());
                }
            }
            prune();
        }

        /** The tracker's answer against the reference map, as it was before the packet. */
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
            for (Iterator<Map.Entry<Key, Integer>> it = reference.entrySet().iterator(); it.hasNext(); ) {
                if (!ct.alive(TupleHashRef.entry(it.next().getValue()))) {
                    it.remove();
                }
            }
        }

        void checkInvariants() {
            int highWater = store.highWater();
            int inUse = 0;
            int dying = 0;
            int confirmed = 0;
            int keys = 0;
            for (int e = 0; e < highWater; e++) {
                int original = TupleHashRef.original(e);
                int reply = TupleHashRef.reply(e);
                boolean same = store.keyHigh(original) == store.keyHigh(reply)
                        && store.keyLow(original) == store.keyLow(reply);
                if (store.inUse(e)) {
                    inUse++;
                }
                int status = store.inUse(e) ? store.status(e) : 0;
                if (store.inUse(e) && (status & Status.DYING) != 0) {
                    dying++;
                }
                boolean inTable = store.inUse(e) && (status & (Status.CONFIRMED | Status.DYING)) == Status.CONFIRMED;
                if (store.inUse(e)) {
                    assertTrue(
                            (status & Status.CONFIRMED) != 0 || (status & Status.DYING) != 0,
                            "entry " + e + " left unconfirmed between packets");
                }
                if (inTable) {
                    confirmed++;
                    keys += same ? 1 : 2;
                    assertEquals(original, tableValue(original), "tuplehash[ORIGINAL] of entry " + e);
                    assertEquals(same ? original : reply, tableValue(reply), "tuplehash[REPLY] of entry " + e);
                } else {
                    assertTrue(
                            TupleHashRef.entry(tableValue(original)) != e || tableValue(original) < 0,
                            "dead entry " + e + " still has its original tuple in the table");
                    assertTrue(
                            TupleHashRef.entry(tableValue(reply)) != e || tableValue(reply) < 0,
                            "dead entry " + e + " still has its reply tuple in the table");
                }
            }
            assertEquals(inUse, store.live(), "store.live()");
            assertEquals(highWater - inUse, store.freeListLength(), "free list length");
            assertEquals(inUse - dying, entries.liveCount(), "entries counting against nf_conntrack_max");
            assertEquals(confirmed, ct.count(), "nf_conntrack_count");
            assertEquals(keys, entries.table.size(), "keys in the table");
            if (config.max() > 0) {
                assertTrue(entries.liveCount() <= config.max(), "nf_conntrack_max " + config.max() + " exceeded");
            }
            assertEquals(keys, reference.size(), "the table and the reference map hold the same number of tuples");
            for (Map.Entry<Key, Integer> r : reference.entrySet()) {
                assertEquals(
                        r.getValue().intValue(),
                        entries.table.get(r.getKey().high(), r.getKey().low()),
                        "table lookup of " + r.getKey());
            }
        }

        private int tableValue(int h) {
            return entries.table.get(store.keyHigh(h), store.keyLow(h));
        }

        /** The segment {@code s} describes, from the sender's state; moves that state on as a TCP would. */
        private Packet build(Endpoints f, Segment s) {
            int snd = s.fromServer() ? 1 : 0;
            int rcv = snd ^ 1;
            if (s.kind() == Kind.RETRANSMISSION && f.last[snd] != null) {
                return f.last[snd];
            }
            int seq = f.next[snd];
            int ack = f.next[rcv];
            int flags = TcpFlags.ACK;
            int length = 0;
            TcpOptions options = TcpOptions.NONE;
            switch (s.kind()) {
                case SYN, SYN_NEW_ISN, SYNACK -> {
                    if (s.kind() == Kind.SYN_NEW_ISN) {
                        f.isn[snd] += 1 + s.offset() * 7919;
                    }
                    seq = f.isn[snd];
                    f.next[snd] = seq + 1;
                    flags = s.kind() == Kind.SYNACK ? TcpFlags.SYN | TcpFlags.ACK : TcpFlags.SYN;
                    ack = s.kind() == Kind.SYNACK ? ack : 0;
                    options = TcpOptions.syn(1460, (s.variant() & 1) != 0 ? 7 : TcpOptions.ABSENT, s.variant() >= 2);
                }
                case ACK, RETRANSMISSION -> {}
                case DATA -> {
                    length = s.length();
                    flags = TcpFlags.PSH | TcpFlags.ACK;
                    f.next[snd] = seq + length;
                    if (s.variant() >= 2) {
                        options = TcpOptions.NONE.withSackBlocks(List.of(new SackBlock(ack + 1000, ack + 2000)));
                    }
                }
                case FIN -> {
                    flags = TcpFlags.FIN | TcpFlags.ACK;
                    f.next[snd] = seq + 1;
                }
                case RST -> {
                    flags = TcpFlags.RST;
                    ack = 0;
                }
                case RSTACK -> flags = TcpFlags.RST | TcpFlags.ACK;
                case OUT_OF_WINDOW_SEQ -> {
                    seq += s.offset() == 0 ? 1 << 30 : s.offset();
                    length = s.length();
                    flags = TcpFlags.PSH | TcpFlags.ACK;
                }
                case OUT_OF_WINDOW_ACK -> ack += s.offset() == 0 ? -(1 << 30) : s.offset();
                case BAD_FLAGS -> {
                    int[] bad = {TcpFlags.SYN | TcpFlags.FIN, 0, TcpFlags.FIN, TcpFlags.SYN | TcpFlags.RST};
                    flags = bad[Math.floorMod(s.offset(), bad.length)];
                }
            }
            int srcIp = snd == 0 ? f.clientIp : f.serverIp;
            int dstIp = snd == 0 ? f.serverIp : f.clientIp;
            int srcPort = snd == 0 ? f.clientPort : f.serverPort;
            int dstPort = snd == 0 ? f.serverPort : f.clientPort;
            Packet p = Packet.tcp(
                    srcIp, dstIp, new TcpSegment(srcPort, dstPort, seq, ack, flags, s.window(), 0, options, length));
            f.last[snd] = p;
            return p;
        }
    }

    /** A tuple as the table's two key words. */
    record Key(long high, long low) {
        static Key of(Packet p) {
            return new Key(
                    ConnTable.keyHigh(p.srcIp(), p.dstIp()),
                    ConnTable.keyLow(p.protocol().number(), p.srcPort(), p.dstPort()));
        }

        Key inverse() {
            int srcIp = (int) (high >>> 32);
            int dstIp = (int) high;
            int protocol = (int) (low >>> 32) & 0xff;
            int srcPort = (int) (low >>> 16) & 0xffff;
            int dstPort = (int) low & 0xffff;
            return new Key(ConnTable.keyHigh(dstIp, srcIp), ConnTable.keyLow(protocol, dstPort, srcPort));
        }

        @Override
        public String toString() {
            return Ip4.format((int) (high >>> 32)) + ":" + ((low >>> 16) & 0xffff) + " -> " + Ip4.format((int) high)
                    + ":" + (low & 0xffff);
        }
    }
}
