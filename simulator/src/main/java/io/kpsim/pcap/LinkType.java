package io.kpsim.pcap;

/**
 * The link layers kpsim reads and writes, by their tcpdump.org {@code LINKTYPE_*} numbers (what a
 * file header holds) and libpcap {@code DLT_*} numbers (what {@code pcap_datalink()} returns).
 *
 * <p>These are what Kubernetes nodes produce: Ethernet on veth and physical interfaces (possibly
 * 802.1Q-tagged), raw IP on tunnel interfaces, and Linux "cooked" capture from {@code tcpdump -i any}
 * (v1 on older libpcap, v2 since libpcap 1.10).
 */
public enum LinkType {
    /** {@code LINKTYPE_ETHERNET} / {@code DLT_EN10MB}: 14-byte Ethernet II header, VLAN tags allowed. */
    ETHERNET(1, 1, 14, "Ethernet"),
    /** {@code LINKTYPE_RAW} (101 in files, {@code DLT_RAW} 12 in libpcap): the IP header first. */
    RAW(101, 12, 0, "raw IP"),
    /** {@code LINKTYPE_IPV4} / {@code DLT_IPV4}: the IPv4 header first. */
    IPV4(228, 228, 0, "raw IPv4"),
    /** {@code LINKTYPE_LINUX_SLL}: the 16-byte Linux cooked header v1. */
    LINUX_SLL(113, 113, 16, "Linux cooked v1"),
    /** {@code LINKTYPE_LINUX_SLL2}: the 20-byte Linux cooked header v2 ({@code tcpdump -i any}). */
    LINUX_SLL2(276, 276, 20, "Linux cooked v2");

    /** {@code DLT_RAW} on OpenBSD, which libpcap also maps {@code LINKTYPE_RAW} to. */
    private static final int DLT_RAW_OPENBSD = 14;

    private final int linkType;
    private final int dlt;
    private final int headerLength;
    private final String description;

    LinkType(int linkType, int dlt, int headerLength, String description) {
        this.linkType = linkType;
        this.dlt = dlt;
        this.headerLength = headerLength;
        this.description = description;
    }

    /** The {@code LINKTYPE_*} number written in capture file headers. */
    public int linkType() {
        return linkType;
    }

    /** The libpcap {@code DLT_*} number. */
    public int dlt() {
        return dlt;
    }

    /** Bytes of link-layer header before the network layer (without VLAN tags). */
    public int headerLength() {
        return headerLength;
    }

    /** A short human name, e.g. {@code Linux cooked v2}. */
    public String description() {
        return description;
    }

    /** The link type for a libpcap {@code DLT_*} or file {@code LINKTYPE_*} number, or {@code null}. */
    public static LinkType of(int number) {
        return switch (number) {
            case 1 -> ETHERNET;
            case 12, 101, DLT_RAW_OPENBSD -> RAW;
            case 228 -> IPV4;
            case 113 -> LINUX_SLL;
            case 276 -> LINUX_SLL2;
            default -> null;
        };
    }
}
