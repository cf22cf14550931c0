package io.kpsim.netfilter.ipset;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ipsets of one network namespace, by name: what {@code -m set --match-set NAME} refers to
 * ({@code ip_set_get_byname()}). Read from {@code ipset save} text with {@link IpsetRestore}.
 */
public final class IpSets {

    /** No sets. */
    public static final IpSets NONE = new IpSets(Map.of());

    private final Map<String, IpSet> sets;

    IpSets(Map<String, IpSet> sets) {
        this.sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
    }

    /** The set called {@code name}, or {@code null}. */
    public IpSet get(String name) {
        return sets.get(name);
    }

    /** Every set, in the order they were created. */
    public Collection<IpSet> all() {
        return sets.values();
    }

    /** How many sets there are. */
    public int size() {
        return sets.size();
    }
}
