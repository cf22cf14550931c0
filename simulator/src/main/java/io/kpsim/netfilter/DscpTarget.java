package io.kpsim.netfilter;

/**
 * {@code -j DSCP --set-dscp value} ({@code dscp_tg()} in {@code net/netfilter/xt_DSCP.c}):
 * rewrites the upper six bits of the TOS byte and continues.
 *
 * @param dscp the code point, 0..63
 */
public record DscpTarget(int dscp) implements Target {

    /** Validates the range. */
    public DscpTarget {
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("DSCP " + dscp + " is not in 0..63");
        }
    }

    @Override
    public TargetKind kind() {
        return TargetKind.DSCP;
    }

    /** The TOS byte with this code point. */
    public int apply(int tos) {
        return (tos & 0x03) | (dscp << 2);
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j DSCP --set-dscp 0x").append(String.format(java.util.Locale.ROOT, "%02x", dscp));
    }
}
