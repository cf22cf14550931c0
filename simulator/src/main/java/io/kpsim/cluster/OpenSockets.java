package io.kpsim.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A pod's open connections in the order they were established: an insertion-ordered identity set
 * held in two parallel arrays, socket and handler per slot, with each handler knowing its slot
 * ({@link OpenSession#openSlot}). Removing empties the slot; the arrays are compacted, in order,
 * when they fill up with more than half of their slots empty, and grow by doubling otherwise.
 * {@code S} is {@code TcpSocket} in a pod (tests list strings).
 *
 * <p>Why not a {@code LinkedHashSet}: one entry of it is 40 bytes, and a pod holding a server's
 * 50,000 connections pays that per socket. Here a socket costs two array slots and, at worst, as
 * many again of empty or spare ones (issue 17's memory per connection). The order and the
 * membership are exactly the set's: a socket added once, removed at most once, listed oldest first.
 */
final class OpenSockets<S> {

    private static final Object[] NO_SOCKETS = new Object[0];
    private static final OpenSession[] NO_SESSIONS = new OpenSession[0];
    private static final int FIRST_CAPACITY = 4;

    private Object[] sockets = NO_SOCKETS;
    private OpenSession[] sessions = NO_SESSIONS;
    /** Slots used so far, listed or emptied: the next socket goes into slot {@code end}. */
    private int end;
    /** Sockets listed. */
    private int live;

    /** Lists {@code socket}, whose handler is {@code session}, after every socket listed so far. */
    void add(S socket, OpenSession session) {
        if (session.openSlot >= 0) {
            throw new IllegalStateException("socket listed twice as open: " + socket);
        }
        if (end == sockets.length) {
            makeRoom();
        }
        sockets[end] = socket;
        sessions[end] = session;
        session.openSlot = end++;
        live++;
    }

    /** Takes {@code session}'s socket off the list; nothing if it is not listed. */
    void remove(OpenSession session) {
        int slot = session.openSlot;
        if (slot < 0) {
            return;
        }
        sockets[slot] = null;
        sessions[slot] = null;
        session.openSlot = -1;
        live--;
    }

    /** The sockets listed, oldest first. */
    @SuppressWarnings("unchecked") // only add() stores, and it takes an S
    List<S> list() {
        List<S> list = new ArrayList<>(live);
        for (int i = 0; i < end; i++) {
            if (sockets[i] != null) {
                list.add((S) sockets[i]);
            }
        }
        return list;
    }

    /** Sockets listed. */
    int size() {
        return live;
    }

    private void makeRoom() {
        if (live * 2 < end) {
            int to = 0;
            for (int from = 0; from < end; from++) {
                if (sockets[from] != null) {
                    sockets[to] = sockets[from];
                    sessions[to] = sessions[from];
                    sessions[to].openSlot = to++;
                }
            }
            Arrays.fill(sockets, to, end, null);
            Arrays.fill(sessions, to, end, null);
            end = to;
        } else {
            int capacity = Math.max(FIRST_CAPACITY, sockets.length * 2);
            sockets = Arrays.copyOf(sockets, capacity);
            sessions = Arrays.copyOf(sessions, capacity);
        }
    }
}
