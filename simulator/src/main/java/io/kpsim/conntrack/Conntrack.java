package io.kpsim.conntrack;

import io.kpsim.packet.Packet;
import java.util.List;

/**
 * One network namespace's connection tracker: {@code nf_conntrack_in()} for arriving packets,
 * {@code __nf_conntrack_confirm()} for packets that survived the hooks, and the entry accessors
 * NAT needs ({@code nf_conntrack_alter_reply()}, {@code nf_conntrack_tuple_taken()}).
 *
 * <p>SKELETON: the API other packages code against. Implementation pending (conntrack workstream).
 */
public final class Conntrack {

    /** Returned where no entry is attached or found. */
    public static final int NO_ENTRY = -1;

    /**
     * Creates an empty tracker.
     *
     * @param kernel whose behaviour to reproduce
     * @param sysctls the {@code net.netfilter.*} settings of this namespace
     * @param seed seeds the table's hash (a per-table random key, as the kernel's siphash key)
     */
    public Conntrack(KernelVersion kernel, Sysctls sysctls, long seed) {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /** The kernel profile. */
    public KernelVersion kernel() {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /** The sysctls. */
    public Sysctls sysctls() {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /**
     * {@code nf_conntrack_in()} at PREROUTING (or LOCAL_OUT): finds the entry for the packet's
     * tuple in either direction or creates an unconfirmed one, runs the protocol tracker and
     * returns the ctstate. ICMP errors are looked up by their quoted packet (RELATED).
     *
     * @param packet the packet as it arrived (before any NAT)
     * @param l4ChecksumValid false when the layer-4 checksum was verified and is wrong
     *                        ({@code "bad checksum"} if {@code nf_conntrack_checksum} is on)
     * @param nowNanos the clock (capture timestamp or simulated time)
     */
    public CtResult in(Packet packet, boolean l4ChecksumValid, long nowNanos) {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /**
     * {@code __nf_conntrack_confirm()}: inserts an unconfirmed entry's two tuples into the table.
     * Does nothing for an already confirmed entry.
     *
     * @return false when an equal tuple is already in the table (the kernel drops the packet,
     *         {@code insert_failed}); the entry is then discarded
     */
    public boolean confirm(int entry, long nowNanos) {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /** Frees an unconfirmed entry whose packet was dropped before confirmation. */
    public void discardUnconfirmed(int entry) {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /** The entry's tuple in one direction (the reply tuple reflects NAT once set). */
    public Tuple tuple(int entry, CtDir dir) {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /** {@code nf_conntrack_alter_reply()}: NAT sets the reply tuple of an unconfirmed entry. */
    public void alterReply(int entry, Tuple reply) {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /**
     * {@code nf_conntrack_tuple_taken()}: whether a confirmed entry other than {@code ignoredEntry}
     * already uses {@code replyTuple}'s inverse as its original tuple or {@code replyTuple} as its
     * reply tuple, so NAT must pick another port.
     */
    public boolean tupleTaken(Tuple replyTuple, int ignoredEntry, long nowNanos) {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /** The entry's {@link Status} bits. */
    public int status(int entry) {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /** Sets {@link Status} bits (NAT records {@code SRC_NAT}, {@code DST_NAT}, {@code *_NAT_DONE}). */
    public void setStatus(int entry, int bits) {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /** The entry's TCP state, or {@code null} for UDP and ICMP entries. */
    public TcpState tcpState(int entry) {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /**
     * The confirmed, unexpired entry that has {@code tuple} as its original or reply tuple, or
     * {@link #NO_ENTRY}.
     */
    public int find(Tuple tuple, long nowNanos) {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /** Confirmed entries, as {@code conntrack -L} lists them, in a deterministic order. */
    public List<ConnSnapshot> list(long nowNanos) {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /** Confirmed entries currently in the table ({@code nf_conntrack_count}). */
    public int count() {
        throw new IllegalStateException("conntrack not wired yet");
    }

    /** The {@code conntrack -S} counters. */
    public ConntrackStats stats() {
        throw new IllegalStateException("conntrack not wired yet");
    }
}
