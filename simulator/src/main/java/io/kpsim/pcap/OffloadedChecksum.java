package io.kpsim.pcap;

/**
 * Completes a TCP or UDP checksum a sender left to its NIC ({@code CHECKSUM_PARTIAL}: the field
 * holds only the folded pseudo-header sum, {@code tcp_v4_send_check()} / {@code udp4_hwcsum()}),
 * as the NIC or {@code skb_checksum_help()} would before the packet leaves. A capture taken on the
 * sending host (a veth, {@code tcpdump -i any}) shows such packets; injected as captured, the
 * receiving kernel would sum them in full ({@code nf_ip_checksum()} for {@code CHECKSUM_NONE},
 * net/netfilter/utils.c) and conntrack would call them INVALID ("bad checksum",
 * {@code tcp_error()}), which is not what happened on the node. veth has passed
 * {@code ip_summed} through unchanged since Linux 4.5 (commit ce8c839b74e3, "veth: don't modify
 * ip_summed; doing so treats packets with bad checksums as good"), so nothing on the way marks
 * them good either.
 */
public final class OffloadedChecksum {

    private static final int TCP = 6;
    private static final int UDP = 17;

    private OffloadedChecksum() {}

    /**
     * Completes the checksum of the IPv4 datagram in {@code ip} (header at offset 0) in place when
     * its TCP or UDP checksum field holds only the pseudo-header sum; leaves anything else as it is.
     *
     * @return whether the checksum was completed
     */
    public static boolean complete(byte[] ip) {
        if (ip.length < 20) {
            return false;
        }
        int ihl = (ip[0] & 0x0f) * 4;
        int total = Bytes.getShort(ip, 2);
        int protocol = ip[9] & 0xff;
        boolean fragment = (Bytes.getShort(ip, 6) & 0x3fff) != 0;
        if (fragment || ihl < 20 || total > ip.length || total < ihl) {
            return false;
        }
        int at = protocol == TCP ? ihl + 16 : protocol == UDP ? ihl + 6 : -1;
        int l4Length = total - ihl;
        if (at < 0 || at + 2 > total) {
            return false;
        }
        int src = Bytes.getInt(ip, 12);
        int dst = Bytes.getInt(ip, 16);
        long seed = InternetChecksum.pseudoHeader(src, dst, protocol, l4Length);
        int partial = ~InternetChecksum.finish(seed) & 0xffff;
        int field = Bytes.getShort(ip, at);
        if (field != partial || InternetChecksum.finish(InternetChecksum.add(seed, ip, ihl, l4Length)) == 0) {
            return false;
        }
        Bytes.putShort(ip, at, 0);
        int full = InternetChecksum.finish(InternetChecksum.add(seed, ip, ihl, l4Length));
        if (protocol == UDP && full == 0) {
            full = 0xffff; // RFC 768: a computed zero is sent as all ones
        }
        Bytes.putShort(ip, at, full);
        return true;
    }
}
