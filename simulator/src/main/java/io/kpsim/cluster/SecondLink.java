package io.kpsim.cluster;

/**
 * A second wire between two nodes ({@link ClusterBuilder#secondLink}): a device called
 * {@code name} on both, carrying only what a route names it for.
 *
 * @param a one node
 * @param b the other node
 * @param name the device name on both nodes (at most 15 characters, {@code IFNAMSIZ - 1})
 * @param impairments each direction's
 */
record SecondLink(String a, String b, String name, LinkImpairments impairments) {}
