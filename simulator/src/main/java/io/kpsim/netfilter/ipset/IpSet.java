package io.kpsim.netfilter.ipset;

import io.kpsim.packet.Packet;

/**
 * One ipset ({@code struct ip_set}): its name, type and elements, and the kernel's test of a
 * packet against it ({@code ip_set_test()} calling the type's {@code kadt}). A test takes one
 * direction flag per dimension ({@code src} or {@code dst}, bit {@code i} of {@code flags} set for
 * {@code src}) and answers {@link #MATCH}, {@link #NO_MATCH}, or {@link #NOMATCH_ELEMENT} when the
 * most specific element found is flagged {@code nomatch} (which {@code --return-nomatch} turns
 * into a match).
 */
public abstract sealed class IpSet permits HashSet, BitmapSet, ListSet {

    /** The packet is in the set. */
    public static final int MATCH = 1;
    /** It is not. */
    public static final int NO_MATCH = 0;
    /** Its most specific element is a {@code nomatch} one. */
    public static final int NOMATCH_ELEMENT = -1;

    private final String name;
    private final String type;
    private final int dimension;
    private final boolean nomatchFeature;

    IpSet(String name, String type, int dimension, boolean nomatchFeature) {
        this.name = name;
        this.type = type;
        this.dimension = dimension;
        this.nomatchFeature = nomatchFeature;
    }

    /** The set's name. */
    public String name() {
        return name;
    }

    /** The type, as {@code ipset create} names it ({@code hash:net,port}). */
    public String type() {
        return type;
    }

    /** How many direction flags a test needs ({@code set->type->dimension}). */
    public int dimension() {
        return dimension;
    }

    /** Whether the type knows {@code nomatch} elements ({@code IPSET_TYPE_NOMATCH}). */
    public boolean nomatchFeature() {
        return nomatchFeature;
    }

    /**
     * The type's test of {@code packet} ({@code kadt} with {@code IPSET_TEST}).
     *
     * @param flags bit {@code i} set when dimension {@code i} takes the source
     * @param dim how many direction flags the rule gave
     * @param nowSeconds the simulation clock, for elements with a timeout
     * @param sets every set of the namespace (for {@code list:set} members)
     */
    abstract int test(Packet packet, int flags, int dim, long nowSeconds, IpSets sets);

    /**
     * {@code ip_set_test()}: no match when the rule gave fewer direction flags than the set has
     * dimensions; with {@code --return-nomatch} a {@code nomatch} element matches and a matching
     * element does not (for types that know {@code nomatch}).
     */
    public boolean matches(Packet packet, int flags, int dim, boolean returnNomatch, long nowSeconds, IpSets sets) {
        if (dim < dimension) {
            return false;
        }
        int r = test(packet, flags, dim, nowSeconds, sets);
        if (returnNomatch && nomatchFeature && r != NO_MATCH) {
            r = -r;
        }
        return r > 0;
    }

    /** Adds one element from its {@code ipset add} text and options. */
    abstract void add(String element, ElementOptions options);

    /** How many elements it holds. */
    public abstract int size();

    @Override
    public String toString() {
        return name + " " + type + " (" + size() + " elements)";
    }
}
