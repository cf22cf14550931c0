package io.kpsim.report.html;

/**
 * The four bounds of {@code tcp_in_window()} (Guido van Rooij's "Real Stateful TCP Packet
 * Filtering", kernel-conntrack.md §4), named the way the kernel's log message names the one a
 * packet failed, with the {@code seen[]} fields each is made of. For a packet from the sender
 * to the receiver:
 *
 * <pre>
 * I   seq  &lt;= sender.td_maxend            "SEQ is over the upper bound"
 * II  end  &gt;= sender.td_end - receiver.td_maxwin   "SEQ is under the lower bound"
 * III ack  &lt;= receiver.td_end             "ACK is over the upper bound"
 * IV  ack  &gt;= receiver.td_end - MAXACKWINDOW(sender) "ACK is under the lower bound"
 * </pre>
 */
public enum WindowBound {
    /** Bound I: the segment starts beyond {@code td_maxend}. */
    SEQ_UPPER("SEQ above td_maxend (upper bound)"),
    /** Bound II: the segment ends before {@code td_end - td_maxwin}. */
    SEQ_LOWER("SEQ below td_end \u2212 td_maxwin (lower bound)"),
    /** Bound III: the ACK acknowledges data the receiver never sent. */
    ACK_UPPER("ACK above the receiver's td_end (upper bound)"),
    /** Bound IV: the ACK is older than the receiver's window allows. */
    ACK_LOWER("ACK below the receiver's td_end \u2212 MAXACKWINDOW (lower bound)");

    private final String label;

    WindowBound(String label) {
        this.label = label;
    }

    /** The bound in the plot's words, e.g. "SEQ above td_maxend (upper bound)". */
    public String label() {
        return label;
    }

    /**
     * The bound the kernel's message names, or {@code null} for a reason that is no window bound
     * ("invalid new", "invalid state", ...). Both kernels' phrasings are understood: 4.19's "SEQ
     * is over the upper bound" and 6.1+'s "SEQ is over upper bound 1303762198".
     */
    public static WindowBound named(String reason) {
        if (reason == null) {
            return null;
        }
        if (reason.startsWith("SEQ is over")) {
            return SEQ_UPPER;
        }
        if (reason.startsWith("SEQ is under")) {
            return SEQ_LOWER;
        }
        if (reason.startsWith("ACK is over")) {
            return ACK_UPPER;
        }
        if (reason.startsWith("ACK is under") || reason.startsWith("ignored ACK under")) {
            return ACK_LOWER;
        }
        return null;
    }

    /**
     * The bound's value as 6.1+ prints it ("SEQ is over upper bound 1303762198": the first sequence
     * number past the bound, {@code td_maxend + 1}), or -1 when the message carries no number
     * (4.19 prints none).
     */
    public static long printedValue(String reason) {
        if (reason == null) {
            return -1;
        }
        int at = reason.indexOf(" bound ");
        if (at < 0) {
            return -1;
        }
        int from = at + " bound ".length();
        int to = from;
        while (to < reason.length() && Character.isDigit(reason.charAt(to))) {
            to++;
        }
        if (to == from || to - from > 10) {
            return -1;
        }
        long v = Long.parseLong(reason.substring(from, to));
        return v <= 0xffffffffL ? v : -1;
    }
}
