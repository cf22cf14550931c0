package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.property.Source;
import java.util.ArrayList;
import java.util.List;

/**
 * The tracker a {@link ConntrackStatefulPropertyTest} chain runs on: the kernel profile, the TCP
 * sysctls that change verdicts, {@code nf_conntrack_max}, and the hash seed (which also picks the
 * endpoints' initial sequence numbers).
 *
 * @param kernel the kernel profile
 * @param beLiberal {@code nf_conntrack_tcp_be_liberal}
 * @param loose {@code nf_conntrack_tcp_loose}
 * @param maxRetrans {@code nf_conntrack_tcp_max_retrans}
 * @param ignoreInvalidRst {@code nf_conntrack_tcp_ignore_invalid_rst} (6.18 only)
 * @param max {@code nf_conntrack_max}: 2 to 8 forces early drop and "table full"; 64 is more than
 *     the chain's five flows can use
 * @param seed the table's hash seed
 */
record ChainConfig(
        KernelProfile kernel,
        boolean beLiberal,
        boolean loose,
        int maxRetrans,
        boolean ignoreInvalidRst,
        int max,
        long seed) {

    /** A roomy table: more entries than the flows can use. */
    static final int ROOMY = 64;

    private static final int DEFAULT_MAX_RETRANS = 3;

    static ChainConfig draw(Source random) {
        return new ChainConfig(
                random.pick(new KernelProfile[] {KernelProfile.V4_19, KernelProfile.V6_18}),
                random.bool(),
                random.bool(),
                random.between(0, 4),
                random.bool(),
                random.pickInt(2, 3, 5, 8, ROOMY),
                random.anyLong());
    }

    Sysctls sysctls() {
        Sysctls s = Sysctls.defaults(kernel)
                .with("nf_conntrack_tcp_be_liberal", beLiberal ? "1" : "0")
                .with("nf_conntrack_tcp_loose", loose ? "1" : "0")
                .with("nf_conntrack_tcp_max_retrans", Integer.toString(maxRetrans))
                .with("nf_conntrack_max", Integer.toString(max))
                // few buckets, so that early_drop()'s eight buckets hold entries to evict
                .with("nf_conntrack_buckets", "16");
        return kernel == KernelProfile.V6_18
                ? s.with("nf_conntrack_tcp_ignore_invalid_rst", ignoreInvalidRst ? "1" : "0")
                : s;
    }

    /** This config with one setting moved to the kernel's default (or a roomy table, hash seed 0). */
    List<ChainConfig> simpler() {
        List<ChainConfig> s = new ArrayList<>();
        if (max != ROOMY) {
            s.add(new ChainConfig(kernel, beLiberal, loose, maxRetrans, ignoreInvalidRst, ROOMY, seed));
        }
        if (beLiberal) {
            s.add(new ChainConfig(kernel, false, loose, maxRetrans, ignoreInvalidRst, max, seed));
        }
        if (!loose) {
            s.add(new ChainConfig(kernel, beLiberal, true, maxRetrans, ignoreInvalidRst, max, seed));
        }
        if (maxRetrans != DEFAULT_MAX_RETRANS) {
            s.add(new ChainConfig(kernel, beLiberal, loose, DEFAULT_MAX_RETRANS, ignoreInvalidRst, max, seed));
        }
        if (ignoreInvalidRst) {
            s.add(new ChainConfig(kernel, beLiberal, loose, maxRetrans, false, max, seed));
        }
        if (seed != 0) {
            s.add(new ChainConfig(kernel, beLiberal, loose, maxRetrans, ignoreInvalidRst, max, 0));
        }
        return s;
    }

    @Override
    public String toString() {
        return "kernel " + kernel.label() + ", be_liberal " + bit(beLiberal) + ", loose " + bit(loose)
                + ", max_retrans " + maxRetrans
                + (kernel == KernelProfile.V6_18 ? ", ignore_invalid_rst " + bit(ignoreInvalidRst) : "")
                + ", nf_conntrack_max " + max + ", hash seed " + seed;
    }

    private static String bit(boolean b) {
        return b ? "1" : "0";
    }
}
