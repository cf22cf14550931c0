package io.kpsim.scenario;

import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import java.util.Map;

/**
 * The one place where a scenario's {@code spec.sysctls} meet {@link Sysctls}: the loader uses
 * {@link #step} to validate each setting at its position, and the model builder uses
 * {@link #apply} to get the same result, so what loads is exactly what runs. Names, per-kernel
 * availability and value ranges are {@link Sysctls#with}'s (the kernel's {@code proc_dointvec_minmax}
 * limits), not duplicated here.
 */
public final class SysctlCheck {

    private SysctlCheck() {}

    /**
     * The defaults of {@code kernel} with every setting applied in order.
     *
     * @throws IllegalArgumentException from the first setting {@link Sysctls#with} rejects
     */
    public static Sysctls apply(KernelProfile kernel, Map<String, String> settings) {
        Sysctls sysctls = Sysctls.defaults(kernel);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            sysctls = step(sysctls, e.getKey(), e.getValue());
        }
        return sysctls;
    }

    /**
     * The full name of a setting as {@link Sysctls#with} accepts it: {@code /} as separator and the
     * {@code net.netfilter.} prefix optional ({@code nf_conntrack_tcp_be_liberal}).
     */
    static String fullName(String name) {
        String dotted = name.replace('/', '.');
        return dotted.startsWith("net.") ? dotted : "net.netfilter." + dotted;
    }

    /** The defaults of {@code kernel}, the start of a chain of {@link #step}s. */
    static Sysctls start(KernelProfile kernel) {
        return Sysctls.defaults(kernel);
    }

    /**
     * One setting.
     *
     * @throws IllegalArgumentException one line: unknown name, not on this kernel, or out of range
     */
    static Sysctls step(Sysctls sysctls, String name, String value) {
        return sysctls.with(name, value);
    }
}
