package io.kpsim.tcp;

import java.util.ArrayList;
import java.util.List;

/**
 * A host's established-socket hash ({@code tcp_hashinfo.ehash}, looked up by
 * {@code __inet_lookup_established}): an open-addressing table from the packed four-tuple key of
 * {@link TcpStack#key} to the socket, so the lookup every arriving segment makes boxes nothing.
 * Linear probing with backward-shift deletion; a slot without a socket is free.
 */
final class SocketTable {

    private long[] keys = new long[16];
    private TcpSocket[] sockets = new TcpSocket[16];
    private int size;

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** The socket with {@code key}, or {@code null}. */
    TcpSocket get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); sockets[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return sockets[i];
            }
        }
        return null;
    }

    boolean containsKey(long key) {
        return get(key) != null;
    }

    /** Maps {@code key} to {@code socket}, replacing any socket it had. */
    void put(long key, TcpSocket socket) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (sockets[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (sockets[i] == null) {
            size++;
        }
        keys[i] = key;
        sockets[i] = socket;
    }

    /** Removes {@code key} if it maps to {@code socket} (a newer socket on the tuple stays). */
    void remove(long key, TcpSocket socket) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (sockets[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (sockets[i] != socket) {
            return; // absent, or a newer socket on the same tuple
        }
        size--;
        // backward-shift deletion: pull later members of the probe run into the hole
        int hole = i;
        for (int j = (hole + 1) & mask; sockets[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                sockets[hole] = sockets[j];
                hole = j;
            }
        }
        sockets[hole] = null;
    }

    /** The sockets, in no particular order. */
    List<TcpSocket> values() {
        List<TcpSocket> out = new ArrayList<>(size);
        for (int i = 0; i < keys.length; i++) {
            if (sockets[i] != null) {
                out.add(sockets[i]);
            }
        }
        return out;
    }

    private void grow() {
        long[] oldKeys = keys;
        TcpSocket[] oldSockets = sockets;
        keys = new long[oldKeys.length * 2];
        sockets = new TcpSocket[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldSockets[i] != null) {
                put(oldKeys[i], oldSockets[i]);
            }
        }
    }
}
