package io.kpsim.cli;

import io.kpsim.cluster.RunEstimate;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Which of HotSpot's JIT compilers a {@code kpsim run} gets, chosen from the run's size once the
 * scenario is loaded and before anything hot has run. The {@code ./kpsim} launcher starts {@code
 * run} with compiler directives that keep kpsim's methods from C2 ({@code c2: {Exclude: true}},
 * read from {@code simulator/jvm/short-run.json}; the JDK's own methods are left alone, because
 * C2 never inlines a method it may not compile) and says so with {@value #PROPERTY}{@code
 * =}{@value #SHORT}: a short run then ends on C1's code, which is ready in milliseconds, instead of paying a
 * second of C2 compilation on a two-core machine that it never earns back (the blog scenario in
 * JSON: 0.74 s instead of 1.16 s, half the CPU time). A long run earns C2's code many times
 * over, so for it this class clears the directives again ({@code Compiler.directives_clear}, the
 * diagnostic command {@code jcmd} sends) before its first packet: from then on HotSpot compiles
 * as it does by default. The choice must come before the model's methods get hot, because
 * HotSpot marks a method that a directive kept from C2 as never to be compiled by C2.
 *
 * <p>The cut between short and long ({@link #LONG_RUN_PACKETS}) lies below the size where the two
 * measured the same (src/docs/benchmarks.md, section 7, "Session 6"). A run without an estimate
 * ({@code --ignore-memory-estimate}) counts as long. Outside the launcher (no {@value #PROPERTY}
 * property, as in tests and {@code java -jar}) this class does nothing. If the directives cannot
 * be cleared (a Java without {@code java.management}), the run goes on with C1's code: slower,
 * never different.
 */
final class CompilerTiers {

    /** The system property the launcher sets when it started the JVM with the short-run directives. */
    static final String PROPERTY = "kpsim.jit";

    /** The property's value for "started with C2 excluded". */
    static final String SHORT = "short-run";

    /** Estimated packets from which a run gets C2 back. */
    static final long LONG_RUN_PACKETS = 100_000;

    /** The JDK package of the diagnostic-command bean ({@code jdk.management}), opened by kpsim.jar's manifest. */
    private static final String INTERNAL = "com.sun.management.internal";

    private CompilerTiers() {}

    /** Whether a run of this estimated size ({@code null}: unknown) keeps C2, by its size alone. */
    static boolean wantsC2(RunEstimate estimate) {
        return estimate == null || estimate.packets() >= LONG_RUN_PACKETS;
    }

    /**
     * Gives a long run (or one of unknown size) C2 back when the launcher started it without;
     * does nothing for a short run, or when the JVM was started without the directive.
     */
    static void choose(RunEstimate estimate) {
        if (SHORT.equals(System.getProperty(PROPERTY)) && wantsC2(estimate)) {
            clearDirectives();
        }
    }

    /**
     * {@code jcmd PID Compiler.directives_clear}, from inside the JVM: through the JDK's own
     * diagnostic-command bean when its package is open to kpsim (the jar's manifest opens it:
     * about 4 ms), else through the platform MBean server (about 130 ms: it sets up every platform
     * bean first).
     */
    private static void clearDirectives() {
        try {
            // Loading the provider loads the native library the diagnostic commands run in.
            Class.forName(INTERNAL + ".PlatformMBeanProviderImpl");
            Class<?> impl = Class.forName(INTERNAL + ".DiagnosticCommandImpl");
            Method bean = impl.getDeclaredMethod("getDiagnosticCommandMBean");
            Method execute = impl.getDeclaredMethod("executeDiagnosticCommand", String.class);
            bean.setAccessible(true);
            execute.setAccessible(true);
            execute.invoke(bean.invoke(null), "Compiler.directives_clear");
            return;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // The package is not open (kpsim's classes not run from its jar) or not this JDK's: the public way.
        }
        try {
            ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "compilerDirectivesClear",
                            new Object[0],
                            new String[0]);
        } catch (JMException | RuntimeException | LinkageError e) {
            // No diagnostic commands in this Java: the run keeps C1's code, slower but the same.
        }
    }
}
