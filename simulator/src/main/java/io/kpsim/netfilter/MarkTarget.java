package io.kpsim.netfilter;

/**
 * {@code -j MARK}: {@code skb->mark = (skb->mark & ~mask) ^ value} ({@code mark_tg()} in
 * {@code net/netfilter/xt_mark.c}). {@code --or-mark v} is {@code v/v}, {@code --xor-mark v} is
 * {@code v/0}, {@code --set-mark v/m} is {@code v/(m|v)}; {@code iptables-save} always prints
 * {@code --set-xmark value/mask}.
 *
 * @param value the bits to XOR in
 * @param mask the bits to clear first
 */
public record MarkTarget(int value, int mask) implements Target {

    @Override
    public TargetKind kind() {
        return TargetKind.MARK;
    }

    /** The new mark. */
    public int apply(int mark) {
        return (mark & ~mask) ^ value;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j MARK --set-xmark ")
                .append(MarkMatch.hex(value))
                .append('/')
                .append(MarkMatch.hex(mask));
    }
}
