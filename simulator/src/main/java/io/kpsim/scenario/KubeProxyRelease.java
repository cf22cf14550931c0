package io.kpsim.scenario;

/**
 * A kube-proxy minor release, 1.14 … 1.34, and what it does about the packets conntrack marks
 * INVALID in iptables mode (research with sources: {@code kube-proxy-profiles.md} §1.3, §1.4, §3):
 *
 * <ul>
 *   <li>1.14 writes no INVALID drop: KUBE-FORWARD starts with its mark accept, as in the 2019 blog;
 *   <li>1.15 … 1.28 start KUBE-FORWARD with {@code -m conntrack --ctstate INVALID -j DROP}
 *       (kubernetes PR 74840, "Fixes #74839"), unconditionally;
 *   <li>1.29 and later leave that rule out when {@code nf_conntrack_tcp_be_liberal} is not 0 when
 *       {@code NewProxier} runs (PR 120412, "nf_conntrack_tcp_be_liberal set, not installing DROP
 *       rules for INVALID packets"), and have {@code --conntrack-tcp-be-liberal} to set it (PR
 *       120354); 1.31 adds an nfacct counter to the rule (PR 122812), which changes no verdict.
 * </ul>
 *
 * @param minor the minor version ({@code 29} for 1.29)
 */
public record KubeProxyRelease(int minor) {

    /** The oldest release modelled. */
    public static final int FIRST = 14;

    /** The newest release modelled. */
    public static final int LAST = 34;

    /** The release that brought KUBE-FORWARD's INVALID drop (PR 74840). */
    static final int INVALID_DROP = 15;

    /** The release that reads be_liberal before writing the drop and has the flag to set it. */
    static final int BE_LIBERAL_AWARE = 29;

    /** Range check. */
    public KubeProxyRelease {
        if (minor < FIRST || minor > LAST) {
            throw new IllegalArgumentException(
                    "kube-proxy 1." + minor + " is not modelled (releases 1." + FIRST + " … 1." + LAST + ")");
        }
    }

    /**
     * The release {@code text} names: {@code 1.29}, also {@code v1.29} and a patch release
     * {@code 1.29.3} (the rules that matter here do not change within a minor release).
     *
     * @throws IllegalArgumentException one line naming the text and the releases accepted
     */
    public static KubeProxyRelease parse(String text) {
        String t = text.strip();
        if (t.startsWith("v")) {
            t = t.substring(1);
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length < 2
                || parts.length > 3
                || !parts[0].equals("1")
                || !digits(parts[1])
                || (parts.length == 3 && !digits(parts[2]))) {
            throw new IllegalArgumentException("'" + text + "' is not a kube-proxy release (expected 1." + FIRST
                    + " … 1." + LAST + ", e.g. 1.29)");
        }
        return new KubeProxyRelease(Integer.parseInt(parts[1]));
    }

    private static boolean digits(String s) {
        return !s.isEmpty() && s.length() <= 3 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** {@code 1.29}. */
    public String label() {
        return "1." + minor;
    }

    /**
     * Whether iptables mode writes KUBE-FORWARD's INVALID drop on a node whose
     * {@code nf_conntrack_tcp_be_liberal} is {@code beLiberalAtStart} when kube-proxy starts
     * (after kube-proxy's own sysctls, see {@link KubeProxyConntrack}).
     */
    public boolean iptablesDropsInvalid(boolean beLiberalAtStart) {
        if (minor < INVALID_DROP) {
            return false;
        }
        return minor < BE_LIBERAL_AWARE || !beLiberalAtStart;
    }

    /** Whether this release has {@code --conntrack-tcp-be-liberal} (PR 120354, 1.29). */
    public boolean hasBeLiberalFlag() {
        return minor >= BE_LIBERAL_AWARE;
    }

    /**
     * Whether this release writes a sysctl only when the node's value is lower (1.23 … 1.28, PR
     * 103174, reverted by PR 120448) rather than whenever it differs.
     */
    public boolean raisesOnly() {
        return minor >= 23 && minor <= 28;
    }
}
