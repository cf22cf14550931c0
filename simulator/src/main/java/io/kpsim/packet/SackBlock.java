package io.kpsim.packet;

/**
 * One SACK block (RFC 2018): the receiver holds {@code [left, right)}.
 *
 * @param left first sequence number of the block
 * @param right sequence number just after the block
 */
public record SackBlock(int left, int right) {

    @Override
    public String toString() {
        return Seq.format(left) + ":" + Seq.format(right);
    }
}
