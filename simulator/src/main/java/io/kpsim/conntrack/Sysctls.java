package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.Kernel;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code net.netfilter.nf_conntrack_*} settings of one namespace, by their real names, with
 * the kernel's defaults for a {@link Kernel} and its range checks ({@link SysctlSpec}).
 *
 * <p>Immutable: {@link #with} returns a changed copy, so a namespace's settings cannot change
 * behind a running tracker's back.
 */
public final class Sysctls {

    private final Kernel kernel;
    private final long[] values;

    private Sysctls(Kernel kernel, long[] values) {
        this.kernel = kernel;
        this.values = values;
    }

    /** The defaults of {@code kernel} (e.g. {@code tcp_loose=1}, {@code tcp_be_liberal=0}). */
    public static Sysctls defaults(Kernel kernel) {
        long[] v = new long[SysctlSpec.values().length];
        for (SysctlSpec s : SysctlSpec.values()) {
            v[s.ordinal()] = s.defaultValue(kernel);
        }
        return new Sysctls(kernel, v);
    }

    /** The kernel these settings belong to. */
    public Kernel kernel() {
        return kernel;
    }

    /**
     * These settings with {@code name} set to {@code value}.
     *
     * @param name the full name, e.g. {@code net.netfilter.nf_conntrack_tcp_be_liberal} (the
     *             {@code net.netfilter.} prefix may be left out; {@code /} works as separator)
     * @param value the value as written to {@code /proc/sys}
     * @throws IllegalArgumentException one line: unknown name (with a "did you mean" hint), a
     *         name this kernel does not have, a value that is not a number, or one out of range
     */
    public Sysctls with(String name, String value) {
        SysctlSpec spec = lookup(name);
        String trimmed = value.trim();
        long parsed;
        try {
            parsed = Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sysctl " + spec.fullName() + ": '" + value + "' is not a number");
        }
        if (parsed < spec.min(kernel) || parsed > spec.max(kernel)) {
            throw new IllegalArgumentException("sysctl " + spec.fullName() + ": " + trimmed + " is out of range "
                    + spec.min(kernel) + ".." + spec.max(kernel));
        }
        long[] copy = values.clone();
        copy[spec.ordinal()] = parsed;
        return new Sysctls(kernel, copy);
    }

    /**
     * These settings with one {@code name=value} assignment applied, as {@code sysctl -w} takes it.
     *
     * @throws IllegalArgumentException when the text has no {@code =}, or as {@link #with(String, String)}
     */
    public Sysctls withAssignment(String assignment) {
        String[] nameValue = parseAssignment(assignment);
        return with(nameValue[0], nameValue[1]);
    }

    /**
     * Splits {@code name=value} (spaces around {@code =} allowed) into its two parts.
     *
     * @throws IllegalArgumentException when there is no {@code =} or either side is empty
     */
    public static String[] parseAssignment(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0
                || eq == assignment.length() - 1
                || assignment.substring(0, eq).isBlank()
                || assignment.substring(eq + 1).isBlank()) {
            throw new IllegalArgumentException("sysctl assignment '" + assignment + "' is not of the form name=value");
        }
        return new String[] {
            assignment.substring(0, eq).trim(), assignment.substring(eq + 1).trim()
        };
    }

    /** Every setting this kernel has, by full name, in a stable order. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (SysctlSpec s : SysctlSpec.values()) {
            if (s.existsOn(kernel)) {
                m.put(s.fullName(), values[s.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** The value of {@code name} (full or short name). */
    public long get(String name) {
        return values[lookup(name).ordinal()];
    }

    long value(SysctlSpec spec) {
        return values[spec.ordinal()];
    }

    /** {@code nf_conntrack_tcp_be_liberal}. */
    public boolean tcpBeLiberal() {
        return value(SysctlSpec.TCP_BE_LIBERAL) != 0;
    }

    /** {@code nf_conntrack_tcp_loose}. */
    public boolean tcpLoose() {
        return value(SysctlSpec.TCP_LOOSE) != 0;
    }

    /** {@code nf_conntrack_tcp_max_retrans}. */
    public long tcpMaxRetrans() {
        return value(SysctlSpec.TCP_MAX_RETRANS);
    }

    /** {@code nf_conntrack_tcp_ignore_invalid_rst}; always false on kernels without it. */
    public boolean tcpIgnoreInvalidRst() {
        return SysctlSpec.TCP_IGNORE_INVALID_RST.existsOn(kernel) && value(SysctlSpec.TCP_IGNORE_INVALID_RST) != 0;
    }

    /** {@code nf_conntrack_max} (0 = no limit). */
    public long max() {
        return value(SysctlSpec.MAX);
    }

    /** {@code nf_conntrack_buckets}. */
    public long buckets() {
        return value(SysctlSpec.BUCKETS);
    }

    /** {@code nf_conntrack_checksum}. */
    public boolean checksum() {
        return value(SysctlSpec.CHECKSUM) != 0;
    }

    /** {@code nf_conntrack_log_invalid}. */
    public long logInvalid() {
        return value(SysctlSpec.LOG_INVALID);
    }

    private SysctlSpec lookup(String name) {
        String normalized = name.trim().replace('/', '.');
        String full = normalized.startsWith(SysctlSpec.PREFIX) ? normalized : SysctlSpec.PREFIX + normalized;
        for (SysctlSpec s : SysctlSpec.values()) {
            if (s.fullName().equals(full)) {
                if (!s.existsOn(kernel)) {
                    throw new IllegalArgumentException(
                            "sysctl " + s.fullName() + " does not exist on kernel " + kernel.label());
                }
                return s;
            }
        }
        String best = Arrays.stream(SysctlSpec.values())
                .filter(s -> s.existsOn(kernel))
                .map(SysctlSpec::fullName)
                .min((a, b) -> Integer.compare(distance(full, a), distance(full, b)))
                .orElseThrow();
        throw new IllegalArgumentException("unknown sysctl '" + name + "' (did you mean '" + best + "'?)");
    }

    /** Levenshtein distance, for the "did you mean" hint. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sysctls s && s.kernel.equals(kernel) && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return kernel.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Sysctls" + asMap();
    }
}
