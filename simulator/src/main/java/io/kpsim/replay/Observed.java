package io.kpsim.replay;

/**
 * What the real node did with a packet, read from its own copy in the capture: the copy it sent
 * on (after NAT) or, when the capture shows the rest of that flow leaving the node but not this
 * packet, that it was dropped. The same terms as the model's {@link ReplayRecord}, so the two can
 * be compared: a difference is a model bug or a gap in the capture, never silent.
 *
 * @param verdict ACCEPT when the copy is in the capture, DROP when it is missing
 * @param outSrc the copy's source ({@code ip:port}, {@code ip} for ICMP); {@code null} for DROP
 * @param outDst the copy's destination; {@code null} for DROP
 * @param copyIndex the index of the copy's record in the file, -1 for DROP
 */
public record Observed(ReplayRecord.Verdict verdict, String outSrc, String outDst, int copyIndex) {

    /** A packet the node dropped: the capture shows its flow leaving the node, but not this packet. */
    static Observed dropped() {
        return new Observed(ReplayRecord.Verdict.DROP, null, null, -1);
    }

    /**
     * Whether the model's verdict and addresses are the node's: the same verdict and, when
     * forwarded, the same source and destination after NAT.
     */
    public boolean agrees(ReplayRecord model) {
        if (model.verdict() != verdict) {
            return false;
        }
        return verdict == ReplayRecord.Verdict.DROP || (outSrc.equals(model.outSrc()) && outDst.equals(model.outDst()));
    }

    /** One clause for a disagreement, e.g. {@code the node forwarded it as 10.96.0.10:80 > 10.244.1.2:40001}. */
    String describe() {
        return verdict == ReplayRecord.Verdict.DROP
                ? "the node dropped it"
                : "the node forwarded it as " + outSrc + " > " + outDst + " (#" + copyIndex + ")";
    }
}
