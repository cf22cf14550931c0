package io.kpsim.netfilter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets a table walk skip the rules of a long chain that cannot match a packet's destination:
 * kube-proxy's KUBE-SERVICES has one {@code -d VIP/32 -p P --dport N} rule per Service port, tens
 * of thousands in a large cluster, and the kernel walks them one by one ({@code ipt_do_table()},
 * {@code ip_packet_match()}). A run of at least {@link #MIN_RUN} consecutive rules of one chain
 * that each test one exact destination address ({@code -d A/32}, not negated) is a segment; for a
 * packet in a segment the walk goes straight to the next rule of the segment whose address is the
 * packet's destination, or past the segment.
 *
 * <p>The result is the linear walk's exactly: a skipped rule's {@code -d} test fails, so it matches
 * nothing, counts nothing and runs no target. A rule qualifies only if every condition before its
 * {@code -d} has no side effect ({@code -m statistic}, {@code -m recent} and the like must be
 * evaluated, or not, as the kernel would), and rule order is kept. Lookups allocate nothing: per
 * segment an open-addressing table from address to the ascending rule indices having it.
 */
final class DispatchIndex {

    /** Shorter runs are walked rule by rule: the lookup would cost more than it saves. */
    static final int MIN_RUN = 8;

    /** The segment of each flat rule, or -1. */
    private final int[] segmentOf;
    /** One past each segment's last rule. */
    private final int[] segmentEnd;
    /** Per segment: open-addressing keys (addresses), with {@link #used} marking filled slots. */
    private final int[][] keys;

    private final boolean[][] used;
    /** Per segment and slot: the ascending flat indices of the rules testing that address. */
    private final int[][][] rules;

    private DispatchIndex(int[] segmentOf, int[] segmentEnd, int[][] keys, boolean[][] used, int[][][] rules) {
        this.segmentOf = segmentOf;
        this.segmentEnd = segmentEnd;
        this.keys = keys;
        this.used = used;
        this.rules = rules;
    }

    /**
     * The index of a flattened table.
     *
     * @param matches each rule's conditions, in evaluation order
     * @param chainFirst each chain's first flat index
     * @param chainEnd one past each chain's last flat index
     */
    static DispatchIndex build(Match[][] matches, int[] chainFirst, int[] chainEnd) {
        int total = matches.length;
        int[] segmentOf = new int[total];
        Arrays.fill(segmentOf, -1);
        List<int[]> runs = new ArrayList<>();
        for (int c = 0; c < chainFirst.length; c++) {
            int start = -1;
            for (int r = chainFirst[c]; r <= chainEnd[c]; r++) {
                boolean keyed = r < chainEnd[c] && destination(matches[r]) != null;
                if (keyed && start < 0) {
                    start = r;
                } else if (!keyed && start >= 0) {
                    if (r - start >= MIN_RUN) {
                        runs.add(new int[] {start, r});
                    }
                    start = -1;
                }
            }
        }
        int n = runs.size();
        int[] segmentEnd = new int[n];
        int[][] keys = new int[n][];
        boolean[][] used = new boolean[n][];
        int[][][] lists = new int[n][][];
        for (int s = 0; s < n; s++) {
            int start = runs.get(s)[0];
            int end = runs.get(s)[1];
            segmentEnd[s] = end;
            Map<Integer, List<Integer>> byAddress = new LinkedHashMap<>();
            for (int r = start; r < end; r++) {
                segmentOf[r] = s;
                byAddress
                        .computeIfAbsent(destination(matches[r]).cidr().network(), k -> new ArrayList<>())
                        .add(r);
            }
            int size = Integer.highestOneBit(Math.max(4, byAddress.size() * 2) - 1) << 1;
            keys[s] = new int[size];
            used[s] = new boolean[size];
            lists[s] = new int[size][];
            for (Map.Entry<Integer, List<Integer>> e : byAddress.entrySet()) {
                int slot = slot(e.getKey(), size);
                while (used[s][slot]) {
                    slot = (slot + 1) & (size - 1);
                }
                used[s][slot] = true;
                keys[s][slot] = e.getKey();
                lists[s][slot] =
                        e.getValue().stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return new DispatchIndex(segmentOf, segmentEnd, keys, used, lists);
    }

    /**
     * The first rule at or after {@code r} the walk must evaluate for a packet to {@code dst}:
     * {@code r} itself outside a segment, else the segment's next rule for {@code dst}, or the
     * first rule after the segment.
     */
    int next(int r, int dst) {
        int s = segmentOf[r];
        if (s < 0) {
            return r;
        }
        int size = keys[s].length;
        int slot = slot(dst, size);
        while (used[s][slot]) {
            if (keys[s][slot] == dst) {
                int[] list = rules[s][slot];
                int i = Arrays.binarySearch(list, r);
                i = i >= 0 ? i : -i - 1;
                return i < list.length ? list[i] : segmentEnd[s];
            }
            slot = (slot + 1) & (size - 1);
        }
        return segmentEnd[s];
    }

    /** How many segments the table has (for tests and benchmarks). */
    int segments() {
        return segmentEnd.length;
    }

    private static int slot(int address, int size) {
        int h = address * 0x9E3779B1;
        return (h ^ (h >>> 16)) & (size - 1);
    }

    /**
     * The rule's exact, non-negated {@code -d A/32} when every condition before it is free of
     * side effects; else {@code null}.
     */
    private static AddressMatch destination(Match[] ms) {
        for (Match m : ms) {
            if (m instanceof AddressMatch a && !a.source()) {
                return !a.negated() && a.cidr().prefixLength() == 32 ? a : null;
            }
            if (!pure(m)) {
                return null;
            }
        }
        return null;
    }

    /** Conditions that only read the packet: evaluating or skipping them changes nothing. */
    private static boolean pure(Match m) {
        return m instanceof AddressMatch
                || m instanceof ProtocolMatch
                || m instanceof PortMatch
                || m instanceof InterfaceMatch
                || m instanceof MultiportMatch
                || m instanceof IcmpMatch
                || m instanceof MarkMatch
                || m instanceof ConntrackMatch
                || m instanceof AddrTypeMatch
                || m instanceof CommentMatch;
    }
}
