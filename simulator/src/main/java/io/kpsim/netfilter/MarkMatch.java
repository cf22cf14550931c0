package io.kpsim.netfilter;

/**
 * {@code -m mark [!] --mark value[/mask]}: {@code (skb->mark & mask) == value}
 * ({@code mark_mt()} in {@code net/netfilter/xt_mark.c}).
 *
 * @param value the mark bits to compare
 * @param mask which bits of {@code skb->mark} to look at ({@code 0xffffffff} when no mask was given)
 * @param negated {@code !}
 */
public record MarkMatch(int value, int mask, boolean negated) implements Match {

    @Override
    public boolean matches(Skb skb) {
        return ((skb.mark() & mask) == value) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m mark").append(negated ? " ! --mark " : " --mark ").append(hex(value));
        if (mask != -1) {
            out.append('/').append(hex(mask));
        }
    }

    /** {@code 0x%x} of an unsigned 32-bit value, as {@code libxt_mark} prints it. */
    static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }
}
