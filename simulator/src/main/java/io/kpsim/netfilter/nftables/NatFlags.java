package io.kpsim.netfilter.nftables;

/** The {@code random}, {@code fully-random}, {@code persistent} flags of NAT statements, as nft prints them. */
final class NatFlags {

    private NatFlags() {}

    /** Appends {@code " random,fully-random,persistent"} (those set, comma-separated), or nothing. */
    static void print(StringBuilder out, boolean random, boolean fullyRandom, boolean persistent) {
        String sep = " ";
        if (random) {
            out.append(sep).append("random");
            sep = ",";
        }
        if (fullyRandom) {
            out.append(sep).append("fully-random");
            sep = ",";
        }
        if (persistent) {
            out.append(sep).append("persistent");
        }
    }
}
