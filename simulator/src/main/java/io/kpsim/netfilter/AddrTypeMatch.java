package io.kpsim.netfilter;

/**
 * {@code -m addrtype [!] --dst-type LOCAL}: whether the destination is one of the node's own
 * addresses ({@code addrtype_mt_v1()} in {@code net/netfilter/xt_addrtype.c}). kube-proxy uses it
 * for the last rule of KUBE-SERVICES, the jump to KUBE-NODEPORTS.
 *
 * @param negated {@code !}
 */
public record AddrTypeMatch(boolean negated) implements Match {

    @Override
    public boolean matches(Skb skb) {
        return skb.isLocal(skb.packet().dstIp()) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m addrtype").append(negated ? " ! " : " ").append("--dst-type LOCAL");
    }
}
