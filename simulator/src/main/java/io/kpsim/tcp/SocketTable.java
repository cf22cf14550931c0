package io.kpsim.tcp;

import java.util.ArrayList;
import java.util.List;

/**
 * A host's established-socket hash ({@code tcp_hashinfo.ehash}, looked up by
 * {@code __inet_lookup_established}): an open-addressing table of sockets by the packed four-tuple
 * key of {@link TcpStack#key}, so the lookup every arriving segment makes boxes nothing. Linear
 * probing with backward-shift deletion; a slot without a socket is free.
 *
 * <p>The table keeps the sockets alone, not their keys: a probe compares the key the socket's own
 * fields make ({@link TcpSocket#key()}), as the kernel's {@code INET_MATCH()} compares the fields
 * of each {@code struct sock} on the chain. A hit reads the socket the segment goes to next anyway;
 * a separate {@code long} key per slot cost 16 to 32 bytes per socket at load 1/4 to 1/2 (issue
 * 17's memory per connection).
 */
final class SocketTable {

    private TcpSocket[] sockets = new TcpSocket[16];
    private int size;

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** The socket with {@code key}, or {@code null}. */
    TcpSocket get(long key) {
        TcpSocket[] table = sockets;
        int mask = table.length - 1;
        for (int i = slot(key, mask); table[i] != null; i = (i + 1) & mask) {
            if (table[i].key() == key) {
                return table[i];
            }
        }
        return null;
    }

    boolean containsKey(long key) {
        return get(key) != null;
    }

    /** Adds {@code socket} under its key, replacing any socket the key had. */
    void put(TcpSocket socket) {
        if ((size + 1) * 2 > sockets.length) {
            grow();
        }
        long key = socket.key();
        int mask = sockets.length - 1;
        int i = slot(key, mask);
        while (sockets[i] != null && sockets[i].key() != key) {
            i = (i + 1) & mask;
        }
        if (sockets[i] == null) {
            size++;
        }
        sockets[i] = socket;
    }

    /** Removes {@code socket} if its key maps to it (a newer socket on the tuple stays). */
    void remove(TcpSocket socket) {
        long key = socket.key();
        int mask = sockets.length - 1;
        int i = slot(key, mask);
        while (sockets[i] != null && sockets[i].key() != key) {
            i = (i + 1) & mask;
        }
        if (sockets[i] != socket) {
            return; // absent, or a newer socket on the same tuple
        }
        size--;
        // backward-shift deletion: pull later members of the probe run into the hole
        int hole = i;
        for (int j = (hole + 1) & mask; sockets[j] != null; j = (j + 1) & mask) {
            int home = slot(sockets[j].key(), mask);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                sockets[hole] = sockets[j];
                hole = j;
            }
        }
        sockets[hole] = null;
    }

    /** The sockets, in no particular order. */
    List<TcpSocket> values() {
        List<TcpSocket> out = new ArrayList<>(size);
        for (TcpSocket s : sockets) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private void grow() {
        TcpSocket[] old = sockets;
        sockets = new TcpSocket[old.length * 2];
        size = 0;
        for (TcpSocket s : old) {
            if (s != null) {
                put(s);
            }
        }
    }
}
