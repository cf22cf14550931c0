package io.kpsim.oracle;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import java.util.ArrayList;
import java.util.List;

/**
 * How the node tells the harness what {@code -m conntrack} saw: one mangle FORWARD rule pair per
 * ctstate and direction, an {@code NFLOG} with a fixed prefix (seen even when a later rule drops
 * the packet) and a {@code DSCP} mark (carried by the forwarded copy).
 *
 * <p>The matches mirror {@code xt_conntrack.c conntrack_mt()}: the state bit comes from
 * {@code ctinfo} when a conntrack is attached, else INVALID or UNTRACKED, which have no direction.
 */
enum StateMark {
    NEW_ORIGINAL(CtState.NEW, CtDir.ORIGINAL, 1),
    NEW_REPLY(CtState.NEW, CtDir.REPLY, 2),
    ESTABLISHED_ORIGINAL(CtState.ESTABLISHED, CtDir.ORIGINAL, 3),
    ESTABLISHED_REPLY(CtState.ESTABLISHED, CtDir.REPLY, 4),
    RELATED_ORIGINAL(CtState.RELATED, CtDir.ORIGINAL, 5),
    RELATED_REPLY(CtState.RELATED, CtDir.REPLY, 6),
    INVALID(CtState.INVALID, null, 7),
    UNTRACKED(CtState.UNTRACKED, null, 8);

    /** The NFLOG prefix every mark starts with. */
    static final String PREFIX = "kpsim-forward ";

    private final CtState state;
    private final CtDir dir;
    private final int dscp;

    StateMark(CtState state, CtDir dir, int dscp) {
        this.state = state;
        this.dir = dir;
        this.dscp = dscp;
    }

    CtState state() {
        return state;
    }

    /** The direction, {@code null} for INVALID and UNTRACKED. */
    CtDir dir() {
        return dir;
    }

    int dscp() {
        return dscp;
    }

    /** The NFLOG prefix of this mark, e.g. {@code kpsim-forward ESTABLISHED REPLY}. */
    String nflogPrefix() {
        return PREFIX + state.name() + (dir == null ? "" : " " + dir.name());
    }

    /** The {@code -m conntrack} match arguments of this mark. */
    List<String> match() {
        List<String> m = new ArrayList<>(List.of("-m", "conntrack", "--ctstate", state.name()));
        if (dir != null) {
            m.addAll(List.of("--ctdir", dir.name()));
        }
        return m;
    }

    /** The mark a forwarded copy carries, or {@code null} for an unmarked DSCP. */
    static StateMark ofDscp(int dscp) {
        for (StateMark m : values()) {
            if (m.dscp == dscp) {
                return m;
            }
        }
        return null;
    }

    /** The mark an NFLOG prefix names, or {@code null} when it is not one of ours. */
    static StateMark ofPrefix(String prefix) {
        String p = prefix.trim();
        for (StateMark m : values()) {
            if (m.nflogPrefix().equals(p)) {
                return m;
            }
        }
        return null;
    }
}
