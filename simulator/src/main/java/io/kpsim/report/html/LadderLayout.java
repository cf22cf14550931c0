package io.kpsim.report.html;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where everything of a ladder goes, in SVG user units, before anything is drawn. Time runs down
 * but not to scale: a pod's veth takes 2 µs and a link 500 µs, so rows follow the order of events
 * (each distinct time a row, and a hop that takes no time one row further down), which keeps every
 * arrow pointing down and every label readable. A node's box (its conntrack verdict and NAT) hangs
 * below the point where the packet arrives, and the packet leaves from the box's bottom.
 */
final class LadderLayout {

    /** Sizes for the full ladder and for the small ones of "compare fixes". */
    record Style(
            double laneGap,
            double left,
            double right,
            double top,
            double row,
            double box,
            double gap,
            double charWidth) {
        static final Style FULL = new Style(290, 230, 190, 58, 30, 34, 30, 6.6);
        static final Style SMALL = new Style(112, 60, 60, 48, 22, 30, 22, 6.0);
    }

    /** One arrow's line, from its tail to its head. */
    record Line(double x1, double y1, double x2, double y2) {}

    /** A box on a lane: a node's verdict and NAT, or a pod stack's action. */
    record Box(int arrow, double x, double y, double width, double height, List<String> lines, String kind) {}

    /** A time written in the left margin. */
    record TimeLabel(double y, long nanos) {}

    /** A band saying how many packets are left out. */
    record GapBand(double y, double height, Gap gap) {}

    final Style style;
    final double width;
    final double height;
    final double[] laneX;
    final List<Line> lines = new ArrayList<>();
    final List<Box> boxes = new ArrayList<>();
    final List<TimeLabel> times = new ArrayList<>();
    final List<GapBand> gaps = new ArrayList<>();

    /** A row: a moment of time and how deep into its packet's path it is. */
    private record RowKey(long nanos, int depth) {}

    /** A row on one lane. */
    private record LaneMoment(int lane, long nanos, int depth) {}

    private LadderLayout(Style style, double width, double height, double[] laneX) {
        this.style = style;
        this.width = width;
        this.height = height;
        this.laneX = laneX;
    }

    /** Lays out {@code ladder}; {@code small} leaves out the long labels. */
    static LadderLayout of(Ladder ladder, Style style, boolean small) {
        int lanes = ladder.lanes().size();
        double[] laneX = new double[lanes];
        for (int i = 0; i < lanes; i++) {
            laneX[i] = style.left() + i * style.laneGap();
        }
        List<Arrow> arrows = ladder.arrows();
        int[] depth = depths(arrows);
        Map<Integer, List<String>> boxText = new HashMap<>();
        Map<Integer, String> boxKind = new HashMap<>();
        for (Arrow a : arrows) {
            List<String> text = boxLines(a, small);
            if (!text.isEmpty()) {
                boxText.put(a.index(), text);
                boxKind.put(a.index(), boxKind(a));
            }
        }
        TreeMap<RowKey, double[]> rows =
                new TreeMap<>(Comparator.comparingLong(RowKey::nanos).thenComparingInt(RowKey::depth));
        Set<RowKey> withBox = new java.util.HashSet<>();
        for (Arrow a : arrows) {
            rows.put(new RowKey(a.departNanos(), depth[a.index()]), null);
            RowKey arrive = new RowKey(a.arriveNanos(), depth[a.index()] + 1);
            rows.put(arrive, null);
            if (boxText.containsKey(a.index())) {
                withBox.add(arrive);
            }
        }
        Map<RowKey, Gap> gapRows = new HashMap<>();
        for (Gap g : ladder.gaps()) {
            RowKey k = new RowKey(g.fromNanos(), -1);
            rows.put(k, null);
            gapRows.put(k, g);
        }
        double y = style.top();
        List<TimeLabel> times = new ArrayList<>();
        List<GapBand> bands = new ArrayList<>();
        long lastLabel = Long.MIN_VALUE;
        for (Map.Entry<RowKey, double[]> e : rows.entrySet()) {
            RowKey k = e.getKey();
            Gap g = gapRows.get(k);
            if (g != null) {
                bands.add(new GapBand(y, style.gap(), g));
                y += style.gap();
                continue;
            }
            y += style.row() / 2;
            e.setValue(new double[] {y});
            if (k.nanos() != lastLabel) {
                times.add(new TimeLabel(y, k.nanos()));
                lastLabel = k.nanos();
            }
            y += style.row() / 2 + (withBox.contains(k) ? style.box() : 0);
        }
        double width = style.left() + (lanes - 1) * style.laneGap() + style.right();
        LadderLayout layout = new LadderLayout(style, width, y + style.row(), laneX);
        layout.times.addAll(times);
        layout.gaps.addAll(bands);
        Set<LaneMoment> departsFromBox = new java.util.HashSet<>();
        for (Arrow a : arrows) {
            if (boxText.containsKey(a.index())) {
                departsFromBox.add(new LaneMoment(a.to(), a.arriveNanos(), depth[a.index()] + 1));
            }
        }
        for (Arrow a : arrows) {
            double y1 = rows.get(new RowKey(a.departNanos(), depth[a.index()]))[0];
            if (departsFromBox.contains(new LaneMoment(a.from(), a.departNanos(), depth[a.index()]))) {
                y1 += style.box();
            }
            double y2 = rows.get(new RowKey(a.arriveNanos(), depth[a.index()] + 1))[0];
            double x1 = laneX[a.from()];
            double x2 = laneX[a.to()];
            if (a.end() == HopEnd.LOST) {
                x2 = x1 + (x2 - x1) * 0.6;
                y2 = y1 + (y2 - y1) * 0.6;
            }
            layout.lines.add(new Line(x1, y1, x2, y2));
            List<String> text = boxText.get(a.index());
            if (text != null) {
                int longest = 0;
                for (String t : text) {
                    longest = Math.max(longest, t.length());
                }
                double w = longest * style.charWidth() + 14;
                layout.boxes.add(new Box(
                        a.index(), laneX[a.to()] - w / 2, y2, w, style.box() - 6, text, boxKind.get(a.index())));
            }
        }
        return layout;
    }

    /** How many hops into its packet's path each arrow departs (0: from the sending pod). */
    static int[] depths(List<Arrow> arrows) {
        int[] depth = new int[arrows.size()];
        Map<Integer, Integer> seen = new HashMap<>();
        for (Arrow a : arrows) {
            int d = seen.getOrDefault(a.packetIndex(), 0);
            depth[a.index()] = d;
            seen.put(a.packetIndex(), d + 1);
        }
        return depth;
    }

    /** The lines of the box at an arrow's head, or none. */
    static List<String> boxLines(Arrow a, boolean small) {
        if (a.verdict() != null) {
            String second = a.end() == HopEnd.DROPPED
                    ? "DROPPED"
                    : small ? natKindWords(a.nat()) : a.nat().label();
            return List.of(a.verdict().word(), second);
        }
        if (a.end() == HopEnd.DELIVERED && a.detail() != null && notable(a.action())) {
            return small ? List.of(shortAction(a.action())) : List.of(a.detail());
        }
        return List.of();
    }

    private static String boxKind(Arrow a) {
        if (a.end() == HopEnd.DROPPED) {
            return "dropped";
        }
        if (a.verdict() != null) {
            return a.verdict().invalid() ? "invalid" : a.verdict().ignored() ? "ignored" : "tracked";
        }
        return a.action() != null && a.action().startsWith("RST_ACCEPTED") ? "reset" : "stack";
    }

    /** Whether a stack's action is worth a box: everything but the ordinary flow of data and ACKs. */
    static boolean notable(String action) {
        if (action == null) {
            return false;
        }
        switch (action) {
            case "DATA_IN_ORDER":
            case "DATA_OUT_OF_ORDER":
            case "ACK_NEW":
            case "ACK_OTHER":
            case "ACK_DUPLICATE":
            case "PASSIVE_OPEN":
            case "SYN_ACK_ESTABLISHED":
            case "ACK_ESTABLISHED":
                return false;
            default:
                return true;
        }
    }

    private static String natKindWords(NatRewrite nat) {
        switch (nat.kind()) {
            case NONE:
                return "no NAT";
            case SKIPPED:
                return "NAT skipped";
            case DNAT:
                return "DNAT";
            case SNAT:
                return "SNAT";
            case DNAT_AND_SNAT:
                return "DNAT+SNAT";
            case REVERSE:
                return "reverse NAT";
            default:
                throw new IllegalStateException("unhandled NAT kind " + nat.kind());
        }
    }

    private static String shortAction(String action) {
        if (action.startsWith("RST_ACCEPTED")) {
            return "RST accepted";
        }
        if (action.endsWith("_RST_SENT")) {
            return "sends RST";
        }
        return action.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
