package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.Hook;
import java.util.Locale;

/**
 * Base-chain priorities by name, as nftables reads and prints them ({@code std_prios} and
 * {@code prio2str()} in nftables' {@code src/rule.c}): {@code raw} -300, {@code mangle} -150,
 * {@code dstnat} -100 (PREROUTING only), {@code filter} 0, {@code security} 50, {@code srcnat}
 * 100 (POSTROUTING only), optionally with an offset ({@code dstnat - 10}). {@code nft list}
 * prints a priority as the first name within 10 of it that the hook allows, otherwise as a
 * number: kube-proxy's -110 is {@code dstnat - 10} at PREROUTING but {@code -110} at OUTPUT.
 */
final class Priority {

    private static final String[] NAMES = {"raw", "mangle", "dstnat", "filter", "security", "srcnat"};
    private static final int[] VALUES = {-300, -150, -100, 0, 50, 100};

    private Priority() {}

    /** The value of {@code name} at {@code hook}, or {@code null} when the name is unknown or not valid there. */
    static Integer named(String name, Hook hook) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return allowed(i, hook) ? VALUES[i] : null;
            }
        }
        return null;
    }

    /** Whether {@code name} is a priority name at all. */
    static boolean isName(String name) {
        for (String n : NAMES) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allowed(int i, Hook hook) {
        return switch (NAMES[i]) {
            case "dstnat" -> hook == Hook.PREROUTING;
            case "srcnat" -> hook == Hook.POSTROUTING;
            default -> true;
        };
    }

    /** The priority as {@code nft list} prints it at {@code hook}. */
    static String format(int priority, Hook hook) {
        for (int i = 0; i < NAMES.length; i++) {
            int offset = priority - VALUES[i];
            if (Math.abs(offset) <= 10 && allowed(i, hook)) {
                if (offset == 0) {
                    return NAMES[i];
                }
                return String.format(Locale.ROOT, "%s %c %d", NAMES[i], offset < 0 ? '-' : '+', Math.abs(offset));
            }
        }
        return Integer.toString(priority);
    }
}
