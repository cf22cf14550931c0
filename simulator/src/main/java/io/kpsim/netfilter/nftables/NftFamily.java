package io.kpsim.netfilter.nftables;

/**
 * The address families of nftables tables kpsim reads ({@code NFPROTO_IPV4}, {@code NFPROTO_IPV6},
 * {@code NFPROTO_INET}). kpsim's packets are IPv4: {@code ip} and {@code inet} tables see them,
 * {@code ip6} tables are read and printed but never see a packet.
 */
public enum NftFamily {
    /** {@code ip}. */
    IP("ip"),
    /** {@code ip6}. */
    IP6("ip6"),
    /** {@code inet}: IPv4 and IPv6. */
    INET("inet");

    private final String keyword;

    NftFamily(String keyword) {
        this.keyword = keyword;
    }

    /** As written after {@code table}. */
    public String keyword() {
        return keyword;
    }

    /** Whether IPv4 packets traverse this family's base chains. */
    public boolean seesIpv4() {
        return this != IP6;
    }

    /** The family named {@code keyword}, or {@code null}. */
    static NftFamily byKeyword(String keyword) {
        for (NftFamily f : values()) {
            if (f.keyword.equals(keyword)) {
                return f;
            }
        }
        return null;
    }
}
