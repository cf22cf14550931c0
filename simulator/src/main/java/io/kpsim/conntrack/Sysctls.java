package io.kpsim.conntrack;

import java.util.Map;

/**
 * The {@code net.netfilter.nf_conntrack_*} settings of one namespace, by their real names, with
 * the kernel's defaults for a {@link KernelVersion} and its range checks.
 *
 * <p>SKELETON: the API other packages code against. Implementation pending (conntrack workstream).
 */
public final class Sysctls {

    private Sysctls() {
    }

    /** The defaults of {@code kernel} (e.g. {@code tcp_loose=1}, {@code tcp_be_liberal=0}). */
    public static Sysctls defaults(KernelVersion kernel) {
        throw new IllegalStateException("sysctls not wired yet");
    }

    /**
     * These settings with {@code name} set to {@code value}.
     *
     * @param name the full name, e.g. {@code net.netfilter.nf_conntrack_tcp_be_liberal}
     * @param value the value as written to {@code /proc/sys}
     * @throws IllegalArgumentException one line: unknown name (with a "did you mean" hint), a
     *         name this kernel does not have, or a value out of range
     */
    public Sysctls with(String name, String value) {
        throw new IllegalStateException("sysctls not wired yet");
    }

    /** Every setting by full name, in a stable order. */
    public Map<String, Long> asMap() {
        throw new IllegalStateException("sysctls not wired yet");
    }

    /** {@code nf_conntrack_tcp_be_liberal}. */
    public boolean tcpBeLiberal() {
        throw new IllegalStateException("sysctls not wired yet");
    }
}
