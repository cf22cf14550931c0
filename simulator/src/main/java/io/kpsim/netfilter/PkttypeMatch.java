package io.kpsim.netfilter;

/**
 * {@code -m pkttype [!] --pkt-type unicast|broadcast|multicast|otherhost} ({@code pkttype_mt()} in
 * {@code net/netfilter/xt_pkttype.c}): the link-layer class of the packet, {@code skb->pkt_type},
 * which the receiving driver ({@code eth_type_trans()}) sets from the destination MAC. kpsim models
 * no link layer, so it derives the class as the Ethernet mapping of the destination address would
 * give it: 255.255.255.255 is sent to the broadcast MAC, 224.0.0.0/4 to a multicast MAC, anything
 * else to the node's own MAC (host, printed {@code unicast}). A locally generated packet is
 * {@code PACKET_HOST}.
 *
 * @param type {@link #HOST}, {@link #BROADCAST}, {@link #MULTICAST} or {@link #OTHERHOST}
 * @param negated {@code !}
 */
public record PkttypeMatch(int type, boolean negated) implements Match {

    /** {@code PACKET_HOST}. */
    public static final int HOST = 0;
    /** {@code PACKET_BROADCAST}. */
    public static final int BROADCAST = 1;
    /** {@code PACKET_MULTICAST}. */
    public static final int MULTICAST = 2;
    /** {@code PACKET_OTHERHOST}. */
    public static final int OTHERHOST = 3;

    private static final String[] NAMES = {"unicast", "broadcast", "multicast", "otherhost"};

    /** The class kpsim gives {@code skb}. */
    static int typeOf(Skb skb) {
        if (skb.inInterface() == null) {
            return HOST;
        }
        int dst = skb.packet().dstIp();
        if (dst == -1) {
            return BROADCAST;
        }
        return (dst >>> 28) == 0xe ? MULTICAST : HOST;
    }

    @Override
    public boolean matches(Skb skb) {
        return (typeOf(skb) == type) != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m pkttype")
                .append(negated ? " ! --pkt-type " : " --pkt-type ")
                .append(NAMES[type]);
    }

    /** Reads {@code --pkt-type} ({@code libxt_pkttype}: {@code host} is {@code unicast}). */
    static final class Options extends ModuleBuilder {
        private int type = -1;
        private boolean negated;

        @Override
        String name() {
            return "pkttype";
        }

        @Override
        boolean accepts(String option) {
            return option.equals("--pkt-type");
        }

        @Override
        void option(String option, boolean neg, RuleWords words, RuleSoFar rule) {
            String v = words.value(option);
            type = switch (v) {
                case "unicast", "host" -> HOST;
                case "broadcast" -> BROADCAST;
                case "multicast" -> MULTICAST;
                case "otherhost" -> OTHERHOST;
                default ->
                    throw new IllegalArgumentException(
                            "--pkt-type '" + v + "' (expected unicast, host, broadcast, multicast or otherhost)");
            };
            negated = neg;
        }

        @Override
        Match build(RuleSoFar rule) {
            if (type < 0) {
                throw new IllegalArgumentException("-m pkttype needs --pkt-type");
            }
            return new PkttypeMatch(type, negated);
        }
    }
}
