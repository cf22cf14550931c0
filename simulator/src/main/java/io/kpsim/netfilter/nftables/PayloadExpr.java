package io.kpsim.netfilter.nftables;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;

/**
 * A header field of the packet ({@code nft_payload_eval()}): {@code ip saddr}, {@code ip daddr},
 * {@code ip protocol}, {@code ip6 saddr}/{@code daddr}/{@code nexthdr}, {@code tcp}/{@code udp}
 * {@code sport}/{@code dport} and {@code th sport}/{@code dport}.
 *
 * <p>{@code tcp} and {@code udp} fields carry nft's implicit {@code meta l4proto} check (a UDP
 * packet never matches {@code tcp dport 80}); {@code th} ("transport header") has none and reads
 * bytes 0-1 and 2-3 of whatever layer-4 header follows: ports for TCP and UDP, type/code and the
 * checksum for ICMP. kpsim does not know an ICMP message's checksum (it keeps payload lengths, not
 * bytes), so {@code th dport} of an ICMP packet does not load, where the kernel would compare the
 * checksum. In an {@code inet} table {@code ip} and {@code ip6} fields carry the implicit
 * {@code meta nfproto} check: kpsim's packets are IPv4, so {@code ip6} fields never load.
 *
 * @param header which header
 * @param field which field of it
 */
public record PayloadExpr(Header header, Field field) implements Expr {

    /** The protocol header the field is in. */
    public enum Header {
        /** IPv4. */
        IP("ip"),
        /** IPv6. */
        IP6("ip6"),
        /** TCP (implies {@code meta l4proto tcp}). */
        TCP("tcp"),
        /** UDP (implies {@code meta l4proto udp}). */
        UDP("udp"),
        /** Any transport header, no protocol check. */
        TH("th");

        private final String keyword;

        Header(String keyword) {
            this.keyword = keyword;
        }

        /** As written. */
        public String keyword() {
            return keyword;
        }
    }

    /** The field. */
    public enum Field {
        /** Source address or port. */
        SADDR("saddr"),
        /** Destination address. */
        DADDR("daddr"),
        /** {@code ip protocol}. */
        PROTOCOL("protocol"),
        /** {@code ip6 nexthdr}. */
        NEXTHDR("nexthdr"),
        /** Source port. */
        SPORT("sport"),
        /** Destination port. */
        DPORT("dport");

        private final String keyword;

        Field(String keyword) {
            this.keyword = keyword;
        }

        /** As written. */
        public String keyword() {
            return keyword;
        }
    }

    /** Validates the combination. */
    public PayloadExpr {
        boolean network = header == Header.IP || header == Header.IP6;
        boolean ok = network
                ? field == Field.SADDR
                        || field == Field.DADDR
                        || field == (header == Header.IP ? Field.PROTOCOL : Field.NEXTHDR)
                : field == Field.SPORT || field == Field.DPORT;
        if (!ok) {
            throw new IllegalArgumentException(header.keyword() + " has no field " + field.keyword());
        }
    }

    @Override
    public KeyType type() {
        return KeyType.of(
                switch (field) {
                    case SADDR, DADDR -> header == Header.IP ? DataType.IPV4_ADDR : DataType.IPV6_ADDR;
                    case PROTOCOL, NEXTHDR -> DataType.INET_PROTO;
                    case SPORT, DPORT -> DataType.INET_SERVICE;
                });
    }

    @Override
    public void print(StringBuilder out) {
        out.append(header.keyword()).append(' ').append(field.keyword());
    }

    @Override
    public Datum eval(EvalContext ctx) {
        Packet p = ctx.packet();
        switch (header) {
            case IP -> {
                return switch (field) {
                    case SADDR -> Datum.bigEndian(p.srcIp() & 0xffffffffL, 4);
                    case DADDR -> Datum.bigEndian(p.dstIp() & 0xffffffffL, 4);
                    default -> Datum.bigEndian(ctx.l4proto(), 1);
                };
            }
            case IP6 -> {
                return null;
            }
            case TCP, UDP -> {
                Protocol wanted = header == Header.TCP ? Protocol.TCP : Protocol.UDP;
                if (p.protocol() != wanted) {
                    return null;
                }
                return Datum.bigEndian(field == Field.SPORT ? p.srcPort() : p.dstPort(), 2);
            }
            case TH -> {
                switch (p.protocol()) {
                    case TCP, UDP -> {
                        return Datum.bigEndian(field == Field.SPORT ? p.srcPort() : p.dstPort(), 2);
                    }
                    case ICMP -> {
                        // bytes 0-1 are type and code; bytes 2-3 the checksum, which kpsim does not
                        // know (it keeps payload lengths, not bytes): that load is treated as failing
                        IcmpMessage m = p.icmp();
                        return field == Field.SPORT ? Datum.bigEndian((m.type() << 8) | m.code(), 2) : null;
                    }
                    case OTHER -> {
                        return null;
                    }
                }
                return null;
            }
        }
        return null;
    }
}
