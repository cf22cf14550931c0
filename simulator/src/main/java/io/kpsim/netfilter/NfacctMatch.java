package io.kpsim.netfilter;

/**
 * {@code -m nfacct --nfacct-name NAME}: always matches, and adds the packet to a named
 * {@code nfnetlink_acct} counter ({@code nfacct_mt()} in {@code net/netfilter/xt_nfacct.c}).
 * kube-proxy 1.31 and later put one on its INVALID drop rule
 * ({@code -m nfacct --nfacct-name ct_state_invalid_dropped_pkts}, kubernetes PR 122812) and on the
 * localhost NodePort rules, so a node's {@code iptables-save} carries it; the counter itself is
 * not modelled (the rule's own counters say the same).
 *
 * @param name the accounting object's name
 */
public record NfacctMatch(String name) implements Match {

    /** Validates the name ({@code NFACCT_NAME_MAX} is 32 bytes with the terminating NUL). */
    public NfacctMatch {
        if (name == null || name.isEmpty() || name.length() > 31) {
            throw new IllegalArgumentException("--nfacct-name must be 1..31 characters");
        }
    }

    @Override
    public boolean matches(Skb skb) {
        return true;
    }

    @Override
    public void save(StringBuilder out) {
        // two spaces, as the kernel's iptables-save prints it: libxt_nfacct's save adds one before its own
        out.append(" -m nfacct --nfacct-name  ");
        RuleText.quote(out, name);
    }
}
