package io.kpsim.netfilter;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Ip4;
import java.util.Arrays;

/**
 * The tests {@code -m conntrack} makes on the entry itself ({@code conntrack_mt()} in
 * {@code net/netfilter/xt_conntrack.c}, revision 3): the original and reply addresses under a mask
 * ({@code conntrack_mt_origsrc()} ...), the four ports as ranges ({@code ct_proto_port_check_v3()}:
 * {@code port_match()}), and {@code --ctstatus} ({@code !!(status_mask & ct->status)}), each
 * negatable. {@code iptables-save} prints them in the order origsrc, origdst, replsrc, repldst,
 * then the ports in the same order, then the status.
 *
 * @param given which tests are present: bit {@code i} for address {@code i} (0..3), bit
 *     {@code 4 + i} for port {@code i}, bit 8 for the status
 * @param negated which of them are negated (same bits)
 * @param addresses origsrc, origdst, replsrc, repldst, already masked
 * @param masks their masks
 * @param ports the four port ranges as {@code lo, hi} pairs
 * @param status the {@code --ctstatus} bits
 */
public record CtEntryTests(int given, int negated, int[] addresses, int[] masks, int[] ports, int status) {

    /** No test. */
    public static final CtEntryTests NONE = new CtEntryTests(0, 0, new int[4], new int[4], new int[8], 0);

    static final int STATUS_BIT = 8;
    static final String[] ADDRESS_OPTIONS = {"--ctorigsrc", "--ctorigdst", "--ctreplsrc", "--ctrepldst"};
    static final String[] PORT_OPTIONS = {"--ctorigsrcport", "--ctorigdstport", "--ctreplsrcport", "--ctrepldstport"};
    private static final String[] STATUS_NAMES = {"EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"};

    /** Copies the arrays. */
    public CtEntryTests {
        addresses = addresses.clone();
        masks = masks.clone();
        ports = ports.clone();
    }

    /** Whether the entry of {@code skb} (attached) passes every test. */
    boolean matches(Skb skb) {
        Tuple orig = skb.ctTuple(CtDir.ORIGINAL);
        Tuple reply = skb.ctTuple(CtDir.REPLY);
        int[] addr = {orig.srcIp(), orig.dstIp(), reply.srcIp(), reply.dstIp()};
        int[] port = {orig.srcPort(), orig.dstPort(), reply.srcPort(), reply.dstPort()};
        for (int i = 0; i < 4; i++) {
            if (has(i) && (((addr[i] & masks[i]) == addresses[i]) == neg(i))) {
                return false;
            }
        }
        for (int i = 0; i < 4; i++) {
            if (has(4 + i) && ((port[i] >= ports[2 * i] && port[i] <= ports[2 * i + 1]) == neg(4 + i))) {
                return false;
            }
        }
        return !has(STATUS_BIT) || (((skb.ctStatus() & status) != 0) != neg(STATUS_BIT));
    }

    private boolean has(int bit) {
        return (given & (1 << bit)) != 0;
    }

    private boolean neg(int bit) {
        return (negated & (1 << bit)) != 0;
    }

    /** This with address test {@code i}. */
    CtEntryTests withAddress(int i, int address, int mask, boolean neg) {
        int[] a = addresses.clone();
        int[] m = masks.clone();
        a[i] = address & mask;
        m[i] = mask;
        return new CtEntryTests(given | 1 << i, flag(negated, i, neg), a, m, ports, status);
    }

    /** This with port test {@code i}. */
    CtEntryTests withPort(int i, int lo, int hi, boolean neg) {
        int[] p = ports.clone();
        p[2 * i] = lo;
        p[2 * i + 1] = hi;
        return new CtEntryTests(given | 1 << (4 + i), flag(negated, 4 + i, neg), addresses, masks, p, status);
    }

    /** This with {@code --ctstatus}. */
    CtEntryTests withStatus(int bits, boolean neg) {
        return new CtEntryTests(given | 1 << STATUS_BIT, flag(negated, STATUS_BIT, neg), addresses, masks, ports, bits);
    }

    private static int flag(int flags, int bit, boolean on) {
        return on ? flags | 1 << bit : flags & ~(1 << bit);
    }

    /** {@code --ctstatus} names: NONE, EXPECTED, SEEN_REPLY, ASSURED, CONFIRMED. */
    static int statusBits(String list) {
        int bits = 0;
        for (String n : list.split(",", -1)) {
            if (n.equals("NONE")) {
                continue;
            }
            int i = Arrays.asList(STATUS_NAMES).indexOf(n);
            if (i < 0) {
                throw new IllegalArgumentException("--ctstatus: unknown status '" + n
                        + "' (expected NONE, EXPECTED, SEEN_REPLY, ASSURED or CONFIRMED)");
            }
            bits |= 1 << i;
        }
        return bits;
    }

    /** Appends the tests as {@code libxt_conntrack}'s {@code conntrack_dump()} prints them. */
    void save(StringBuilder out) {
        for (int i = 0; i < 4; i++) {
            if (has(i)) {
                out.append(neg(i) ? " ! " : " ").append(ADDRESS_OPTIONS[i]).append(' ');
                out.append(Ip4.format(addresses[i]));
                if (masks[i] != -1) {
                    out.append('/').append(Integer.bitCount(masks[i]));
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            if (has(4 + i)) {
                out.append(neg(4 + i) ? " ! " : " ")
                        .append(PORT_OPTIONS[i])
                        .append(' ')
                        .append(ports[2 * i]);
                if (ports[2 * i + 1] != ports[2 * i]) {
                    out.append(':').append(ports[2 * i + 1]);
                }
            }
        }
        if (has(STATUS_BIT)) {
            out.append(neg(STATUS_BIT) ? " ! --ctstatus " : " --ctstatus ");
            if (status == 0) {
                out.append("NONE");
            } else {
                boolean first = true;
                for (int i = 0; i < STATUS_NAMES.length; i++) {
                    if ((status & (1 << i)) != 0) {
                        out.append(first ? "" : ",").append(STATUS_NAMES[i]);
                        first = false;
                    }
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CtEntryTests t
                && t.given == given
                && t.negated == negated
                && Arrays.equals(t.addresses, addresses)
                && Arrays.equals(t.masks, masks)
                && Arrays.equals(t.ports, ports)
                && t.status == status;
    }

    @Override
    public int hashCode() {
        return given * 31 + Arrays.hashCode(addresses) + Arrays.hashCode(ports) + status;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        save(s);
        return s.toString().strip();
    }
}
