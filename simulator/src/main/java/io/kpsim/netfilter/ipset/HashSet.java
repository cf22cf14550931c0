package io.kpsim.netfilter.ipset;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code hash:*} types ({@code ip_set_hash_gen.h} and the {@code ip_set_hash_*.c} files): an
 * element is a tuple of dimensions, each an address ({@code ip}), a network ({@code net}, an
 * address with a prefix) or a protocol and port ({@code port}). A test builds the packet's tuple
 * from the direction flags and looks it up; with a {@code net} dimension it tries the prefix
 * lengths present in the set from the most specific to the least, and the first element found
 * decides (a {@code nomatch} one answers {@link #NOMATCH_ELEMENT}). {@code hash:ip} with a
 * {@code netmask} stores and tests addresses under that mask. A packet whose address is
 * 0.0.0.0 is never in a set ({@code if (e.ip == 0) return -EINVAL}).
 */
final class HashSet extends IpSet {

    /** One dimension's kind. */
    enum Dim {
        /** An address. */
        IP,
        /** An address with a prefix length. */
        NET,
        /** A protocol and port. */
        PORT
    }

    private final Dim[] dims;
    private final int netmask;
    private final long defaultTimeout;
    private final Map<Key, ElementOptions> elements = new HashMap<>();
    /** Prefix lengths present in the {@code net} dimension, by count. */
    private final int[] cidrs = new int[33];

    /** An element's packed tuple: two addresses, protocol, port and the {@code net} prefix length. */
    private record Key(int ip1, int ip2, int proto, int port, int cidr) {}

    HashSet(String name, String type, Dim[] dims, int netmask, long defaultTimeout) {
        super(name, type, dims.length, hasNet(dims));
        this.dims = dims.clone();
        this.netmask = netmask;
        this.defaultTimeout = defaultTimeout;
    }

    private static boolean hasNet(Dim[] dims) {
        for (Dim d : dims) {
            if (d == Dim.NET) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int size() {
        return elements.size();
    }

    @Override
    int test(Packet p, int flags, int dim, long now, IpSets sets) {
        int ip1 = 0;
        int ip2 = 0;
        int proto = 0;
        int port = 0;
        int ips = 0;
        for (int d = 0; d < dims.length; d++) {
            boolean src = (flags & (1 << d)) != 0;
            if (dims[d] == Dim.PORT) {
                proto = SetPacket.protocol(p);
                port = SetPacket.port(p, src);
            } else if (ips++ == 0) {
                ip1 = SetPacket.address(p, src) & netmask;
            } else {
                ip2 = SetPacket.address(p, src);
            }
        }
        if (ip1 == 0) {
            return NO_MATCH;
        }
        if (!nomatchFeature()) {
            ElementOptions e = elements.get(new Key(ip1, ip2, proto, port, 32));
            return e != null && e.alive(now) ? MATCH : NO_MATCH;
        }
        boolean netIsFirst = dims[0] == Dim.NET;
        for (int cidr = 32; cidr >= 0; cidr--) {
            if (cidrs[cidr] == 0) {
                continue;
            }
            int m = Ip4.mask(cidr);
            Key k = netIsFirst ? new Key(ip1 & m, ip2, proto, port, cidr) : new Key(ip1, ip2 & m, proto, port, cidr);
            ElementOptions e = elements.get(k);
            if (e != null && e.alive(now)) {
                return e.nomatch() ? NOMATCH_ELEMENT : MATCH;
            }
        }
        return NO_MATCH;
    }

    @Override
    void add(String element, ElementOptions options) {
        String[] parts = element.split(",", -1);
        if (parts.length != dims.length) {
            throw new IllegalArgumentException("element '" + element + "' of " + type() + " needs " + dims.length
                    + " part" + (dims.length > 1 ? "s" : "") + " separated by commas");
        }
        if (options.nomatch() && !nomatchFeature()) {
            throw new IllegalArgumentException(type() + " has no nomatch elements");
        }
        ElementOptions o = options.expiresAt() == Long.MAX_VALUE && defaultTimeout > 0
                ? new ElementOptions(defaultTimeout, options.nomatch())
                : options;
        addParts(parts, 0, new int[5], o);
    }

    /** Expands ranges part by part: {@code key = {ip1, ip2, proto, port, cidr}}. */
    private void addParts(String[] parts, int d, int[] key, ElementOptions o) {
        if (d == dims.length) {
            Key k = new Key(key[0], key[1], key[2], key[3], nomatchFeature() ? key[4] : 32);
            if (elements.put(k, o) == null && nomatchFeature()) {
                cidrs[k.cidr()]++;
            }
            return;
        }
        boolean first = d == 0 || (d == 1 && dims[0] == Dim.PORT);
        int slot = first ? 0 : 1;
        switch (dims[d]) {
            case IP -> {
                for (int ip : Elements.addresses(parts[d], netmask, 65536)) {
                    key[slot] = ip;
                    addParts(parts, d + 1, key, o);
                }
            }
            case NET -> {
                int[] net = Elements.network(parts[d]);
                key[slot] = net[0];
                key[4] = net[1];
                addParts(parts, d + 1, key, o);
            }
            case PORT -> {
                int[] pp = Elements.protoPorts(parts[d]);
                key[2] = pp[0];
                for (int port = pp[1]; port <= pp[2]; port++) {
                    key[3] = port;
                    addParts(parts, d + 1, key, o);
                }
            }
        }
    }
}
