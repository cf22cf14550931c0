package io.kpsim.report.html;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.EntryView;
import io.kpsim.conntrack.TcpState;
import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Protocol;
import java.util.Arrays;
import java.util.List;

/**
 * Conntrack entry changes ({@link CtChange}) held as numbers in one {@code long[]}, a fixed number
 * of slots: the {@link LadderRecorder}'s ring keeps the entry before and after every recent node
 * event, and as objects (a change, an entry, a window or two per TCP packet and node) those were
 * alive at every young collection and copied by it, a third of what {@code --html} cost over
 * {@code --format json} at 1,000 downloads (src/docs/benchmarks.md, section 8, "Session 8"). A
 * slot is turned back into objects only when a capture takes it. Every field of the entry is
 * 32 bits in the kernel ({@code struct ip_ct_tcp_state}, the tuples), so the packing loses nothing.
 *
 * <p>A slot is a flags word (a change is there; its entry before; its entry after), then the entry
 * before and the entry after, {@value #ENTRY} words each: the original and reply tuples (address
 * and port per word), each direction's {@code td_end} and {@code td_maxend}, both {@code td_maxwin}
 * and a last word with the protocol, the TCP state and both window scales.
 */
final class PackedChanges {

    /** Words per entry. */
    static final int ENTRY = 8;

    private static final int SLOT = 1 + 2 * ENTRY;
    private static final long CHANGE = 1;
    private static final long BEFORE = 2;
    private static final long AFTER = 4;
    private static final long LOW = 0xFFFF_FFFFL;
    private static final List<TcpState> STATES = List.of(TcpState.values());
    private static final List<Protocol> PROTOCOLS = List.of(Protocol.values());

    private final long[] words;

    PackedChanges(int slots) {
        words = new long[slots * SLOT];
    }

    /** Marks {@code slot} as holding no change (the event was not a TCP packet's node verdict). */
    void clear(int slot) {
        words[slot * SLOT] = 0;
    }

    /** Stores {@code change} (or none, when {@code null}) in {@code slot}. */
    void put(int slot, CtChange change) {
        int at = slot * SLOT;
        if (change == null) {
            words[at] = 0;
            return;
        }
        long flags = CHANGE;
        if (change.before() != null) {
            flags |= BEFORE;
            pack(change.before(), words, at + 1);
        }
        if (change.after() != null) {
            flags |= AFTER;
            pack(change.after(), words, at + 1 + ENTRY);
        }
        words[at] = flags;
    }

    /**
     * Stores a change in {@code slot} from entries already packed: {@code before} at
     * {@code beforeAt} when {@code hasBefore}, and entry {@code after} of {@code view} (or none,
     * when it is {@link Conntrack#NO_ENTRY}).
     */
    void put(int slot, boolean hasBefore, long[] before, int beforeAt, EntryView view, int after) {
        int at = slot * SLOT;
        long flags = CHANGE;
        if (hasBefore) {
            flags |= BEFORE;
            System.arraycopy(before, beforeAt, words, at + 1, ENTRY);
        }
        if (after != Conntrack.NO_ENTRY) {
            flags |= AFTER;
            pack(view, after, words, at + 1 + ENTRY);
        }
        words[at] = flags;
    }

    /** The change in {@code slot} as objects, or {@code null} when it holds none. */
    CtChange get(int slot) {
        int at = slot * SLOT;
        long flags = words[at];
        if ((flags & CHANGE) == 0) {
            return null;
        }
        CtEntry before = (flags & BEFORE) != 0 ? unpack(words, at + 1) : null;
        CtEntry after;
        if ((flags & AFTER) == 0) {
            after = null;
        } else if (before != null && Arrays.equals(words, at + 1, at + 1 + ENTRY, words, at + 1 + ENTRY, at + SLOT)) {
            after = before; // unchanged (an INVALID packet's): one record for both, as a capture keeps it
        } else {
            after = unpack(words, at + 1 + ENTRY);
        }
        return new CtChange(before, after);
    }

    /** Packs entry {@code entry} of {@code view} into {@code out} from {@code at}. */
    static void pack(EntryView v, int entry, long[] out, int at) {
        out[at] = word(v.srcIp(entry, CtDir.ORIGINAL), v.srcPort(entry, CtDir.ORIGINAL));
        out[at + 1] = word(v.dstIp(entry, CtDir.ORIGINAL), v.dstPort(entry, CtDir.ORIGINAL));
        out[at + 2] = word(v.srcIp(entry, CtDir.REPLY), v.srcPort(entry, CtDir.REPLY));
        out[at + 3] = word(v.dstIp(entry, CtDir.REPLY), v.dstPort(entry, CtDir.REPLY));
        out[at + 4] = v.tdEnd(entry, CtDir.ORIGINAL) | v.tdMaxEnd(entry, CtDir.ORIGINAL) << 32;
        out[at + 5] = v.tdEnd(entry, CtDir.REPLY) | v.tdMaxEnd(entry, CtDir.REPLY) << 32;
        out[at + 6] = v.tdMaxWin(entry, CtDir.ORIGINAL) | v.tdMaxWin(entry, CtDir.REPLY) << 32;
        out[at + 7] = last(
                v.protocol(entry), v.tcpState(entry), v.tdScale(entry, CtDir.ORIGINAL), v.tdScale(entry, CtDir.REPLY));
    }

    /** Packs {@code e} into {@code out} from {@code at}, as {@link #pack(EntryView, int, long[], int)}. */
    static void pack(CtEntry e, long[] out, int at) {
        out[at] = word(e.original().srcIp(), e.original().srcPort());
        out[at + 1] = word(e.original().dstIp(), e.original().dstPort());
        out[at + 2] = word(e.reply().srcIp(), e.reply().srcPort());
        out[at + 3] = word(e.reply().dstIp(), e.reply().dstPort());
        out[at + 4] = e.originalWindow().tdEnd() | e.originalWindow().tdMaxEnd() << 32;
        out[at + 5] = e.replyWindow().tdEnd() | e.replyWindow().tdMaxEnd() << 32;
        out[at + 6] = e.originalWindow().tdMaxWin() | e.replyWindow().tdMaxWin() << 32;
        out[at + 7] = last(
                e.original().protocol(),
                e.state(),
                e.originalWindow().tdScale(),
                e.replyWindow().tdScale());
    }

    /** The entry packed in {@code in} from {@code at}. */
    static CtEntry unpack(long[] in, int at) {
        long last = in[at + 7];
        Protocol protocol = PROTOCOLS.get((int) (last & 0xFF));
        int stateCode = (int) (last >>> 8 & 0xFF);
        TcpState state = stateCode == 0 ? null : STATES.get(stateCode - 1);
        Tuple original = tuple(protocol, in[at], in[at + 1]);
        Tuple reply = tuple(protocol, in[at + 2], in[at + 3]);
        CtWindow originalWindow =
                new CtWindow(in[at + 4] & LOW, in[at + 4] >>> 32, in[at + 6] & LOW, (int) (last >>> 16 & 0xFFFF));
        CtWindow replyWindow =
                new CtWindow(in[at + 5] & LOW, in[at + 5] >>> 32, in[at + 6] >>> 32, (int) (last >>> 32 & 0xFFFF));
        return new CtEntry(original, reply, state, originalWindow, replyWindow);
    }

    private static long word(int ip, int port) {
        return ip & LOW | (long) port << 32;
    }

    private static Tuple tuple(Protocol protocol, long src, long dst) {
        return new Tuple(protocol, (int) src, (int) (src >>> 32), (int) dst, (int) (dst >>> 32));
    }

    private static long last(Protocol protocol, TcpState state, int originalScale, int replyScale) {
        long stateCode = state == null ? 0 : state.ordinal() + 1;
        return protocol.ordinal()
                | stateCode << 8
                | (long) (originalScale & 0xFFFF) << 16
                | (long) (replyScale & 0xFFFF) << 32;
    }
}
