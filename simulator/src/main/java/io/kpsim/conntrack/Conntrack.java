package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import java.util.List;

/**
 * One network namespace's connection tracker: {@code nf_conntrack_in()} for arriving packets,
 * {@code __nf_conntrack_confirm()} for packets that survived the hooks, and the entry accessors
 * NAT needs ({@code nf_conntrack_alter_reply()}; the look-ups of {@link NatLookup}).
 *
 * <p>The datapath's form of a result is the allocation-free {@link PackedResult} int
 * ({@link #inPacked}, {@link #inTcp}), with the reason in {@link #lastReason()} as a code;
 * {@link #in} builds the {@link CtResult} record from them, words and all, for callers at package
 * boundaries. A NEW packet's entry is unconfirmed: invisible to lookups until {@link #confirm}, or
 * freed by {@link #discardUnconfirmed}. Not thread-safe: one tracker per simulated namespace,
 * driven by one event loop.
 *
 * <p>Which kernel it behaves like is fixed at construction ({@link Kernel}, a set of
 * {@link Switch}es); the trackers read the switches they need into final fields then, so the
 * packet path never asks. The {@code conntrack -S} counters follow the kernel's paths:
 * {@code found} only when NAT finds a tuple taken, {@code error} for the l4 checks that ran before
 * the lookup up to 4.19 and for ICMP errors after, {@code ignore} only for packets that were
 * {@code NOTRACK}ed ({@link #untracked}) up to 5.4 ({@link ConntrackStats}).
 *
 * <p>This class is the entry point and the entry accessors; {@link L4Paths} picks the protocol's
 * path of {@code nf_conntrack_in()}, each its own class ({@link TcpPath}, {@link DatagramPath},
 * {@link IcmpTracker}); the table side is {@link EntryTable} and the listing {@link ConntrackListing}.
 */
public final class Conntrack {

    /** Returned where no entry is attached or found. */
    public static final int NO_ENTRY = -1;
    /** The most keys one {@link #prefetch} takes. */
    public static final int PREFETCH_MAX = 64;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** {@code TcpState.values()} once: each call to it clones the array, and replay asks per packet. */
    private static final List<TcpState> TCP_STATES = List.of(TcpState.values());

    private final Kernel kernel;
    private final Sysctls sysctls;
    private final Counters counters = new Counters();
    private final EntryTable entries;
    private final EntryStore store;
    private final LoggedReason log;
    private final Refusals refusals;
    private final NatLookup natLookup;
    private final L4Paths paths;

    /** The zone {@link #templateZone} gave the next packet. */
    private int nextZone;

    /**
     * Creates an empty tracker.
     *
     * @param kernel whose behaviour to reproduce (a {@link io.kpsim.conntrack.profile.KernelProfile}
     *     or any release, {@link Kernel#at})
     * @param sysctls the {@code net.netfilter.*} settings of this namespace, for the same kernel
     * @param seed seeds the table's hash (a per-table random key, as the kernel's siphash key)
     */
    public Conntrack(Kernel kernel, Sysctls sysctls, long seed) {
        if (!sysctls.kernel().equals(kernel)) {
            throw new IllegalArgumentException("sysctls are for kernel "
                    + sysctls.kernel().label() + " but the tracker models kernel " + kernel.label());
        }
        this.kernel = kernel;
        this.sysctls = sysctls;
        this.log = new LoggedReason(kernel);
        this.refusals = new Refusals(kernel, counters, log);
        Timeouts timeouts = new Timeouts(sysctls);
        this.entries = new EntryTable(kernel, sysctls.max(), sysctls.buckets(), seed, counters);
        this.store = entries.store;
        this.natLookup = new NatLookup(entries, counters, kernel.has(Switch.TUPLE_TAKEN_SAME_ORIGIN));
        this.paths = new L4Paths(
                this,
                entries,
                new TcpPath(
                        new TcpTracker(store, kernel, sysctls, timeouts, log),
                        counters,
                        !kernel.has(Switch.REPEAT_NOT_COUNTED_INVALID)),
                new DatagramPath(new UdpTracker(store, kernel, timeouts), new GenericTracker(store, timeouts)),
                new IcmpTracker(store, kernel, sysctls, timeouts, log));
    }

    /** The kernel it behaves like. */
    public Kernel kernel() {
        return kernel;
    }

    /** The sysctls. */
    public Sysctls sysctls() {
        return sysctls;
    }

    /**
     * {@code nf_conntrack_in()} at PREROUTING (or LOCAL_OUT), as a record: {@link #inPacked} with
     * the reason turned into the kernel's words.
     *
     * @param packet the packet as it arrived (before any NAT)
     * @param l4ChecksumValid false when the layer-4 checksum was verified and is wrong
     *                        ({@code "bad checksum"} if {@code nf_conntrack_checksum} is on)
     * @param nowNanos the clock (capture timestamp or simulated time)
     */
    public CtResult in(Packet packet, boolean l4ChecksumValid, long nowNanos) {
        int packed = inPacked(packet, l4ChecksumValid, nowNanos);
        return CtResult.fromPacked(packed, log.words());
    }

    /**
     * {@code nf_conntrack_in()} at PREROUTING (or LOCAL_OUT): finds the entry for the packet's
     * tuple in either direction or creates an unconfirmed one, runs the protocol tracker and
     * returns the ctstate. ICMP errors are looked up by their quoted packet (RELATED). Established
     * TCP packets allocate nothing.
     *
     * @param packet the packet as it arrived (before any NAT)
     * @param l4ChecksumValid false when the layer-4 checksum was verified and is wrong
     * @param nowNanos the clock (capture timestamp or simulated time)
     * @return a {@link PackedResult}; {@link #lastReason()} says why it was refused or ignored
     */
    public int inPacked(Packet packet, boolean l4ChecksumValid, long nowNanos) {
        return paths.in(packet, l4ChecksumValid, nowNanos);
    }

    /**
     * The allocation-free TCP path of {@code nf_conntrack_in()}: the segment's fields from a
     * reusable holder, each set by name for this segment.
     *
     * @param segment the segment's fields; all must be set anew for each call
     * @param checksumValid false when the TCP checksum was verified and is wrong
     * @param nowNanos the clock
     * @return a {@link PackedResult}; {@link #lastReason()} says why it was refused or ignored
     * @throws IllegalStateException if a field of {@code segment} was not set for this segment
     */
    public int inTcp(TcpHeaderFields segment, boolean checksumValid, long nowNanos) {
        segment.take();
        return paths.tcp(segment, checksumValid, nowNanos);
    }

    /**
     * What conntrack logged about the last packet ({@code nf_l4proto_log_invalid()}): a code, or
     * nothing when the packet was accepted or refused silently. Valid until the next packet; copy
     * it ({@link LoggedReason#copyFrom}) to keep it longer.
     */
    public LoggedReason lastReason() {
        return log;
    }

    /**
     * {@code nf_conntrack_in()} for a packet the raw table {@code NOTRACK}ed ({@code IP_CT_UNTRACKED}):
     * nothing is looked up; up to 5.4 {@code ignore} counts it ("(loopback or untracked)? Ignore.").
     */
    public void untracked() {
        refusals.untracked();
    }

    /**
     * For the next packet only: the conntrack zone (0..65535) the raw table's {@code CT --zone}
     * template gave it ({@code nf_ct_zone_tmpl()}); its lookups are in that zone and an entry it
     * creates belongs to it. 0, the default zone, unless set.
     */
    public void templateZone(int zone) {
        if (zone < 0 || zone > 0xffff) {
            throw new IllegalArgumentException("conntrack zone " + zone + " is not a u16");
        }
        nextZone = zone;
    }

    /** Runs the gc work due, frees the entries killed by the previous packet and forgets its log line. */
    void startPacket(long now) {
        entries.startPacket(now, nextZone);
        nextZone = 0;
        log.clear();
    }

    /** What a refused packet counts and logs on this kernel (for the trackers). */
    Refusals refusals() {
        return refusals;
    }

    /**
     * {@code __nf_conntrack_confirm()}: inserts an unconfirmed entry's two tuples into the table
     * (nothing for a confirmed one); false when the packet is dropped ({@link #confirmEntry}).
     */
    public boolean confirm(int entry, long nowNanos) {
        return confirmEntry(entry, nowNanos) != NO_ENTRY;
    }

    /**
     * {@code __nf_conntrack_confirm()} with the kernel's clash handling: when an equal tuple is
     * already in the table, a UDP packet may take the entry that won ({@code nf_ct_resolve_clash()}:
     * the same flow, or up to 6.11 an un-NATed winner), or from 5.6 its entry is inserted in the
     * reply direction only for a second ({@code IPS_NAT_CLASH}); otherwise the packet is dropped
     * ({@code drop}, {@code insert_failed}) and the entry discarded. 5.15+ also refuses a too long
     * bucket chain ({@code chaintoolong}).
     *
     * @return the entry the packet carries from now on ({@code entry} or the winner), or
     *     {@link #NO_ENTRY} when it is dropped
     */
    public int confirmEntry(int entry, long nowNanos) {
        int e = entries.confirm(entry, nowNanos);
        return e < 0 ? NO_ENTRY : e;
    }

    /** Frees an unconfirmed entry whose packet was dropped before confirmation. */
    public void discardUnconfirmed(int entry) {
        entries.discardUnconfirmed(entry);
    }

    /** The entry's tuple in one direction (the reply tuple reflects NAT once set). */
    public Tuple tuple(int entry, CtDir dir) {
        checkEntry(entry);
        return entries.tuple(entry, dir.ordinal());
    }

    /**
     * The entry's tuple in one direction packed as {@link ConnTable#keyHigh} (source and destination
     * address): {@link #tuple} without a {@code Tuple}, for NAT's rewrite of every translated packet.
     */
    public long tupleKeyHigh(int entry, CtDir dir) {
        checkEntry(entry);
        return store.keyHigh(TupleHashRef.of(entry, dir.ordinal()));
    }

    /**
     * The entry's tuple in one direction packed as {@link ConnTable#keyLow} (protocol number, source
     * and destination port, or ICMP id and type/code): the other half of {@link #tupleKeyHigh}.
     */
    public long tupleKeyLow(int entry, CtDir dir) {
        checkEntry(entry);
        return store.keyLow(TupleHashRef.of(entry, dir.ordinal()));
    }

    /** {@code nf_conntrack_alter_reply()}: NAT sets the reply tuple of an unconfirmed entry. */
    public void alterReply(int entry, Tuple reply) {
        checkEntry(entry);
        if ((store.status(entry) & Status.CONFIRMED) != 0) {
            throw new IllegalStateException("entry " + entry + " is confirmed; its reply tuple can no longer change");
        }
        store.setKey(
                TupleHashRef.reply(entry),
                ConnTable.keyHigh(reply.srcIp(), reply.dstIp()),
                ConnTable.keyLow(protocolNumber(reply.protocol()), reply.srcPort(), reply.dstPort()));
    }

    /** The table lookups NAT makes when it chooses a tuple ({@code nf_conntrack_tuple_taken()} and kin). */
    public NatLookup natLookup() {
        return natLookup;
    }

    /** The entry's {@code ct->mark} (set by {@code -j CONNMARK}, read by {@code -m connmark}). */
    public int mark(int entry) {
        checkEntry(entry);
        return store.mark(entry);
    }

    /** Sets {@code ct->mark}. */
    public void mark(int entry, int value) {
        checkEntry(entry);
        store.setMark(entry, value);
    }

    /** The entry's {@link Status} bits. */
    public int status(int entry) {
        checkEntry(entry);
        return store.status(entry);
    }

    /** Sets {@link Status} bits (NAT records {@code SRC_NAT}, {@code DST_NAT}, {@code *_NAT_DONE}). */
    public void setStatus(int entry, int bits) {
        checkEntry(entry);
        store.addStatus(entry, bits);
    }

    /** The entry's TCP state, or {@code null} for UDP and ICMP entries. */
    public TcpState tcpState(int entry) {
        checkEntry(entry);
        return store.protocol(entry) == Protocol.TCP.number() ? TCP_STATES.get(store.tcpState(entry)) : null;
    }

    /**
     * {@link #tcpState} of a TCP packet's own entry, found by its tuple, protocol included
     * ({@code nf_ct_tuple_equal()}): a TCP entry, whose protocol word (apart from the hot record, a
     * cache miss per replayed packet in a large table) need not be read.
     */
    public TcpState tcpStateOfTcpPacket(int entry) {
        checkEntry(entry);
        return TCP_STATES.get(store.tcpState(entry));
    }

    /**
     * A hint with no effect on any result: loads what the lookups of up to {@link #PREFETCH_MAX}
     * upcoming packets will read (table slots, entries, tuples), overlapping their cache misses
     * ({@code EntryTable.prefetch}). Keys are each packet's tuple as received, packed with
     * {@link ConnTable#keyHigh} and {@link ConnTable#keyLow}.
     */
    public void prefetch(long[] keyHighs, long[] keyLows, int count) {
        if (count > PREFETCH_MAX) {
            throw new IllegalArgumentException("prefetch: " + count + " keys, at most " + PREFETCH_MAX);
        }
        entries.prefetch(keyHighs, keyLows, count);
    }

    /**
     * The confirmed, unexpired entry that has {@code tuple} as its original or reply tuple, or
     * {@link #NO_ENTRY}; in the conntrack zone of the packet conntrack saw last (0 unless a
     * {@code CT --zone} rule gave it one).
     */
    public int find(Tuple tuple, long nowNanos) {
        int found = entries.lookup(key(tuple, true), key(tuple, false), nowNanos);
        return found == ConnTable.NOT_FOUND ? NO_ENTRY : TupleHashRef.entry(found);
    }

    /** {@link ConnTable#keyHigh} ({@code high}) or {@link ConnTable#keyLow} of a tuple. */
    static long key(Tuple t, boolean high) {
        return high
                ? ConnTable.keyHigh(t.srcIp(), t.dstIp())
                : ConnTable.keyLow(protocolNumber(t.protocol()), t.srcPort(), t.dstPort());
    }

    /**
     * Whether {@link #find} would return {@code entry} for either of its tuples at {@code nowNanos}:
     * the entry is confirmed, not killed and not expired. Lets a caller that already holds the
     * packet's entry skip a second lookup of the same tuple.
     */
    public boolean findable(int entry, long nowNanos) {
        return entry >= 0
                && entries.alive(entry)
                && (store.status(entry) & Status.CONFIRMED) != 0
                && !entries.expired(entry, nowNanos);
    }

    /**
     * Confirmed entries, as {@code conntrack -L} lists them, in entry-id order (expired ones reaped;
     * {@code IPS_NAT_CLASH} entries are not listed, their ORIGINAL tuplehash is not in the table).
     */
    public List<ConnSnapshot> list(long nowNanos) {
        return ConntrackListing.list(this, entries, nowNanos);
    }

    /**
     * Confirmed entries currently in the table ({@code nf_conntrack_count}; expired ones count until
     * something reaps them: a lookup that meets them, early drop, the gc worker or a listing).
     */
    public int count() {
        return entries.confirmedCount();
    }

    /** Heap bytes of the table's arrays now ({@link TableMemory#bytesAtPeak} prices them in advance). */
    public long heapBytes() {
        return entries.heapBytes();
    }

    /** Room for {@code entries} at once before the first packet, so the table never grows to that peak. */
    public void reserve(long entries) {
        this.entries.reserve(entries);
    }

    /** The {@code conntrack -S} counters. */
    public ConntrackStats stats() {
        return counters.snapshot();
    }

    /** The conntrack zone of {@code entry} ({@code CT --zone}; 0, the default zone, otherwise). */
    public int zone(int entry) {
        checkEntry(entry);
        return store.zone(entry);
    }

    /** Seconds until the entry expires (its relative timeout while unconfirmed). */
    public long timeoutSeconds(int entry, long nowNanos) {
        checkEntry(entry);
        long d = store.deadline(entry);
        long left = (store.status(entry) & Status.CONFIRMED) != 0 ? d - nowNanos : d;
        return Math.max(0, left) / NANOS_PER_SECOND;
    }

    /** Whether {@code entry} is allocated and has not been killed or freed. */
    public boolean alive(int entry) {
        return entries.alive(entry);
    }

    /** The packed entry storage (for tests and diagnostics inside the package). */
    EntryStore store() {
        return store;
    }

    /** The table side, lookups and entries together (for invariant checks in tests inside the package). */
    EntryTable entries() {
        return entries;
    }

    static int protocolNumber(Protocol p) {
        return p.number() & 0xff;
    }

    private void checkEntry(int entry) {
        if (!store.inUse(entry)) {
            throw new IllegalArgumentException("no conntrack entry " + entry);
        }
    }
}
