package io.kpsim.netfilter.ipset;

import io.kpsim.packet.Packet;

/**
 * {@code bitmap:port} and {@code bitmap:ip} ({@code ip_set_bitmap_port.c}, {@code ip_set_bitmap_ip.c}):
 * a bit per value of a fixed range. {@code bitmap:port} tests the packet's port in the direction
 * flag's sense (for ICMP, {@code type << 8 | code}), whatever the protocol; a value outside the
 * range is not in the set.
 */
final class BitmapSet extends IpSet {

    private final boolean ports;
    private final long first;
    private final long last;
    private final long[] expires;

    BitmapSet(String name, boolean ports, long first, long last) {
        super(name, ports ? "bitmap:port" : "bitmap:ip", 1, false);
        if (last < first || last - first >= 65536) {
            throw new IllegalArgumentException("range of " + (last - first + 1) + " values (1..65536 allowed)");
        }
        this.ports = ports;
        this.first = first;
        this.last = last;
        this.expires = new long[(int) (last - first + 1)];
    }

    @Override
    public int size() {
        int n = 0;
        for (long e : expires) {
            if (e != 0) {
                n++;
            }
        }
        return n;
    }

    @Override
    int test(Packet p, int flags, int dim, long now, IpSets sets) {
        boolean src = (flags & 1) != 0;
        long v = ports ? SetPacket.port(p, src) : SetPacket.address(p, src) & 0xffffffffL;
        if (v < first || v > last) {
            return NO_MATCH;
        }
        long e = expires[(int) (v - first)];
        return e != 0 && now < e ? MATCH : NO_MATCH;
    }

    @Override
    void add(String element, ElementOptions options) {
        long lo;
        long hi;
        if (ports) {
            int[] r = Elements.portRange(element);
            lo = r[0];
            hi = r[1];
        } else {
            int[] ips = Elements.addresses(element, -1, 65536);
            for (int ip : ips) {
                set(ip & 0xffffffffL, options, element);
            }
            return;
        }
        for (long v = lo; v <= hi; v++) {
            set(v, options, element);
        }
    }

    private void set(long v, ElementOptions options, String element) {
        if (v < first || v > last) {
            throw new IllegalArgumentException("element '" + element + "' is outside the set's range");
        }
        expires[(int) (v - first)] = options.expiresAt();
    }
}
