package io.kpsim.netfilter.nftables;

import java.util.List;

/**
 * A set or map of a table ({@code struct nft_set}), or an anonymous one written inline in a rule
 * ({@code { 80, 443 }}, {@code vmap { 0 : goto a, 1 : goto b }}): its key type, a map's data type,
 * its flags, timeouts and comment, and its elements in the order kpsim keeps them (the order they
 * were read or added; {@link NftPrinter} prints them in {@code nft list}'s order).
 *
 * @param name the set's name, {@code null} for an anonymous set
 * @param key the key type
 * @param data a map's data type ({@code verdict} for a verdict map), {@code null} for a set
 * @param flags {@link #CONSTANT}, {@link #DYNAMIC}, {@link #INTERVAL}, {@link #TIMEOUT}
 * @param timeoutMillis the default element timeout, or -1
 * @param gcIntervalMillis {@code gc-interval}, or -1
 * @param size the maximum number of elements, 0 when not given
 * @param memoryPolicy {@code policy memory}
 * @param autoMerge {@code auto-merge}
 * @param comment the set comment, or {@code null}
 * @param elements the elements
 */
public record NftSet(
        String name,
        KeyType key,
        KeyType data,
        int flags,
        long timeoutMillis,
        long gcIntervalMillis,
        long size,
        boolean memoryPolicy,
        boolean autoMerge,
        String comment,
        List<SetElement> elements) {

    /** {@code NFT_SET_CONSTANT}: elements cannot change after creation. */
    public static final int CONSTANT = 1;
    /** {@code NFT_SET_EVAL}: rules add elements ({@code dynamic}). */
    public static final int DYNAMIC = 1 << 1;
    /** {@code NFT_SET_INTERVAL}: elements may be ranges and prefixes. */
    public static final int INTERVAL = 1 << 2;
    /** {@code NFT_SET_TIMEOUT}: elements expire. */
    public static final int TIMEOUT = 1 << 3;

    /** The size nft gives a set that rules update when none is declared ({@code NFT_SET_MAXSIZE}). */
    public static final long DYNAMIC_DEFAULT_SIZE = 65535;

    /** Copies the elements. */
    public NftSet {
        elements = List.copyOf(elements);
        if (key == null) {
            throw new IllegalArgumentException("a set needs a key type");
        }
    }

    /** An anonymous set of {@code elements}. */
    static NftSet anonymous(KeyType key, KeyType data, int flags, List<SetElement> elements) {
        return new NftSet(null, key, data, flags | CONSTANT, -1, -1, 0, false, false, null, elements);
    }

    /** Whether this is a map (has data). */
    public boolean isMap() {
        return data != null;
    }

    /** Whether this is a verdict map. */
    public boolean isVerdictMap() {
        return data != null && data.fields().size() == 1 && data.single() == DataType.VERDICT;
    }

    /** Whether elements may be ranges ({@code flags interval}). */
    public boolean isInterval() {
        return (flags & INTERVAL) != 0;
    }

    /** Whether this set was written inline in a rule. */
    public boolean isAnonymous() {
        return name == null;
    }

    /** This set with other elements (e.g. {@code add element}). */
    public NftSet withElements(List<SetElement> newElements) {
        return new NftSet(
                name,
                key,
                data,
                flags,
                timeoutMillis,
                gcIntervalMillis,
                size,
                memoryPolicy,
                autoMerge,
                comment,
                newElements);
    }

    /** This set as a rule that updates it leaves it: dynamic, and sized when no size was given. */
    NftSet updatedByRules() {
        return new NftSet(
                name,
                key,
                data,
                flags | DYNAMIC,
                timeoutMillis,
                gcIntervalMillis,
                size == 0 ? DYNAMIC_DEFAULT_SIZE : size,
                memoryPolicy,
                autoMerge,
                comment,
                elements);
    }
}
