package io.kpsim.netfilter;

/**
 * {@code -j LOG [--log-prefix TEXT]} ({@code xt_LOG.c}): records the packet and continues.
 * kpsim notes the hit in the trace; it does not format a kernel log line.
 *
 * @param prefix the log prefix, possibly empty
 */
public record LogTarget(String prefix) implements Target {

    /** Validates the length ({@code sizeof(prefix)} is 30 bytes with the NUL). */
    public LogTarget {
        if (prefix == null || prefix.length() > 29) {
            throw new IllegalArgumentException("--log-prefix must be at most 29 characters");
        }
    }

    @Override
    public TargetKind kind() {
        return TargetKind.LOG;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j LOG");
        if (!prefix.isEmpty()) {
            out.append(" --log-prefix ");
            RuleText.quote(out, prefix);
        }
    }
}
