package io.kpsim.netfilter;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code xt_recent} table ({@code struct recent_table} in {@code net/netfilter/xt_recent.c}):
 * addresses, each with its TTL and a ring of its last timestamps in jiffies, kept in LRU order
 * ({@code recent_entry_update()} moves an entry to the tail of {@code lru_list}). At most
 * {@code ip_list_tot} (100) entries: a new one evicts the least recently used
 * ({@code recent_entry_init()}); each keeps {@code ip_pkt_list_tot} (255) timestamps, rounded up
 * to a power of two ({@code nstamp_mask}).
 */
final class RecentTable {

    /** {@code ip_list_tot}'s default. */
    static final int LIST_TOT = 100;
    /** {@code ip_pkt_list_tot}'s default (since 4.10; {@code XT_RECENT_MAX_NSTAMPS} is 256). */
    static final int PKT_LIST_TOT = 255;

    /** An address's record ({@code struct recent_entry}). */
    static final class Entry {
        final int address;
        int ttl;
        final long[] stamps;
        int index;
        int nstamps;

        Entry(int address, int ttl, int slots) {
            this.address = address;
            this.ttl = ttl;
            this.stamps = new long[slots];
        }

        /** The most recent timestamp ({@code e->stamps[e->index - 1]}). */
        long last() {
            return stamps[(index - 1) & (stamps.length - 1)];
        }
    }

    private final String name;
    private final LinkedHashMap<Integer, Entry> entries = new LinkedHashMap<>();

    RecentTable(String name) {
        this.name = name;
    }

    /** The table's name. */
    String name() {
        return name;
    }

    /** {@code recent_entry_lookup()}: with {@code ttl} non-zero, only an entry with that TTL is it. */
    Entry lookup(int address, int ttl) {
        Entry e = entries.get(address);
        if (e == null) {
            return null;
        }
        return ttl == 0 || ttl == e.ttl ? e : null;
    }

    /** {@code recent_entry_init()}: a new entry stamped now, evicting the least recently used when full. */
    Entry add(int address, int ttl, long jiffies) {
        if (entries.size() >= LIST_TOT) {
            Iterator<Entry> oldest = entries.values().iterator();
            oldest.next();
            oldest.remove();
        }
        Entry e = new Entry(address, ttl, Integer.highestOneBit(PKT_LIST_TOT) << 1);
        e.stamps[0] = jiffies;
        e.nstamps = 1;
        e.index = 1;
        entries.put(address, e);
        return e;
    }

    /** {@code recent_entry_update()}: one more timestamp, and the entry becomes the most recent. */
    void update(Entry e, long jiffies) {
        e.index &= e.stamps.length - 1;
        e.stamps[e.index++] = jiffies;
        if (e.index > e.nstamps) {
            e.nstamps = e.index;
        }
        entries.remove(e.address);
        entries.put(e.address, e);
    }

    /** {@code recent_entry_remove()}. */
    void remove(Entry e) {
        entries.remove(e.address);
    }

    /** {@code recent_entry_reap()}: drops the least recently used entry when its last stamp is before {@code time}. */
    void reap(long time, Entry working, boolean update) {
        Iterator<Map.Entry<Integer, Entry>> it = entries.entrySet().iterator();
        if (!it.hasNext()) {
            return;
        }
        Entry oldest = it.next().getValue();
        if (oldest == working && update) {
            return;
        }
        if (time - oldest.last() > 0) {
            it.remove();
        }
    }

    /** How many addresses it holds. */
    int size() {
        return entries.size();
    }
}
