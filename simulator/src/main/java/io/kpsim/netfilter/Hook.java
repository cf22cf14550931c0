package io.kpsim.netfilter;

/**
 * The five IPv4 netfilter hooks ({@code enum nf_inet_hooks} in {@code include/uapi/linux/netfilter.h}),
 * in the order a packet can meet them:
 *
 * <pre>
 *  in --&gt; PREROUTING --&gt; [routing] --&gt; FORWARD --&gt; POSTROUTING --&gt; out
 *          raw, ct in,        |           mangle,      mangle, nat (SRC),
 *          mangle, nat (DST)  |           filter       ct confirm
 *                             v                            ^
 *                           INPUT                          |
 *                  mangle, filter, nat (SRC),        [routing]
 *                  ct confirm                              ^
 *                             |                            |
 *                             v                            |
 *                       local process --&gt; OUTPUT ----------+
 *                                 raw, ct in, mangle, nat (DST), filter
 * </pre>
 *
 * <p>Conntrack looks packets up at PREROUTING and OUTPUT and confirms new entries at
 * POSTROUTING and INPUT; NAT changes destinations at PREROUTING/OUTPUT and sources at
 * POSTROUTING/INPUT ({@code HOOK2MANIP} in {@code include/net/netfilter/nf_nat.h}).
 */
public enum Hook {
    /** {@code NF_INET_PRE_ROUTING}: every arriving packet, before the routing decision. */
    PREROUTING,
    /** {@code NF_INET_LOCAL_IN}: packets routed to a local address. */
    INPUT,
    /** {@code NF_INET_FORWARD}: packets routed through the node. */
    FORWARD,
    /** {@code NF_INET_LOCAL_OUT}: packets a local process sends. */
    OUTPUT,
    /** {@code NF_INET_POST_ROUTING}: every leaving packet, after routing. */
    POSTROUTING;

    /**
     * {@code HOOK2MANIP()}: NAT rewrites the source at POSTROUTING and INPUT and the destination
     * at PREROUTING and OUTPUT. Meaningless for FORWARD, where NAT does not run.
     */
    public NatManip manip() {
        return switch (this) {
            case POSTROUTING, INPUT -> NatManip.SRC;
            case PREROUTING, OUTPUT, FORWARD -> NatManip.DST;
        };
    }
}
