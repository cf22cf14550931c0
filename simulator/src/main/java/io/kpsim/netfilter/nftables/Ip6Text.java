package io.kpsim.netfilter.nftables;

import io.kpsim.packet.Ip4;

/**
 * IPv6 addresses as text and 16 bytes: parsing every RFC 4291 form (hex groups, one {@code ::},
 * an embedded dotted quad) and printing as glibc's {@code inet_ntop()} does, which is what
 * {@code nft list} shows: lower-case hex without leading zeros, the longest run of two or more
 * zero groups (the first of equal runs) as {@code ::}, and {@code ::a.b.c.d} /
 * {@code ::ffff:a.b.c.d} for IPv4-compatible and IPv4-mapped addresses.
 *
 * <p>kpsim's packets are IPv4, so IPv6 addresses are only read and printed (a node's
 * {@code ip6} tables, the IPv6 half of an {@code inet} table); they never match a packet.
 */
final class Ip6Text {

    private Ip6Text() {}

    /**
     * The 16 bytes of {@code text}.
     *
     * @throws IllegalArgumentException naming the text when it is not an IPv6 address
     */
    static byte[] parse(String text) {
        byte[] out = new byte[16];
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            throw bad(text);
        }
        String head = doubleColon < 0 ? text : text.substring(0, doubleColon);
        String tail = doubleColon < 0 ? "" : text.substring(doubleColon + 2);
        int[] headWords = words(head, text, doubleColon < 0);
        int[] tailWords = words(tail, text, true);
        int total = headWords.length + tailWords.length;
        if (doubleColon < 0 ? total != 8 : total > 7) {
            throw bad(text);
        }
        for (int i = 0; i < headWords.length; i++) {
            put(out, i, headWords[i]);
        }
        for (int i = 0; i < tailWords.length; i++) {
            put(out, 8 - tailWords.length + i, tailWords[i]);
        }
        return out;
    }

    private static void put(byte[] out, int word, int value) {
        out[2 * word] = (byte) (value >>> 8);
        out[2 * word + 1] = (byte) value;
    }

    /** The 16-bit groups of one side of {@code ::}; the last group may be a dotted quad when {@code last}. */
    private static int[] words(String part, String text, boolean last) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] groups = part.split(":", -1);
        int n = groups.length;
        boolean quad = last && groups[n - 1].indexOf('.') >= 0;
        int[] w = new int[quad ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String g = groups[i];
            if (quad && i == n - 1) {
                int v4;
                try {
                    v4 = Ip4.parse(g);
                } catch (IllegalArgumentException e) {
                    throw bad(text);
                }
                w[i] = v4 >>> 16;
                w[i + 1] = v4 & 0xffff;
            } else {
                if (g.isEmpty() || g.length() > 4) {
                    throw bad(text);
                }
                int v = 0;
                for (int k = 0; k < g.length(); k++) {
                    int d = Character.digit(g.charAt(k), 16);
                    if (d < 0) {
                        throw bad(text);
                    }
                    v = (v << 4) | d;
                }
                w[i] = v;
            }
        }
        return w;
    }

    /** {@code inet_ntop(AF_INET6, ...)}. */
    static String format(byte[] a) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestBase = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder s = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    s.append(':');
                }
                continue;
            }
            if (i != 0) {
                s.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                s.append(a[12] & 0xff)
                        .append('.')
                        .append(a[13] & 0xff)
                        .append('.')
                        .append(a[14] & 0xff)
                        .append('.')
                        .append(a[15] & 0xff);
                return s.toString();
            }
            s.append(Integer.toHexString(w[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            s.append(':');
        }
        return s.toString();
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("'" + text + "' is not an IPv6 address");
    }
}
