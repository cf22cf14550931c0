package io.kpsim.replay;

import io.kpsim.netfilter.nftables.DataType;
import io.kpsim.netfilter.nftables.KeyType;
import io.kpsim.netfilter.nftables.NatStmt;
import io.kpsim.netfilter.nftables.NftChain;
import io.kpsim.netfilter.nftables.NftRule;
import io.kpsim.netfilter.nftables.NftRuleset;
import io.kpsim.netfilter.nftables.NftSet;
import io.kpsim.netfilter.nftables.NftTable;
import io.kpsim.netfilter.nftables.SetElement;
import io.kpsim.netfilter.nftables.Statement;
import io.kpsim.netfilter.nftables.Verdict;
import io.kpsim.netfilter.nftables.VerdictStmt;
import io.kpsim.netfilter.nftables.VmapStmt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The services of a node's {@code nft list ruleset}, read back the way kube-proxy's nftables mode
 * writes them ({@code pkg/proxy/nftables/proxier.go}): a verdict map keyed by
 * {@code ipv4_addr . inet_proto . inet_service} ({@code service-ips}, {@code service-nodeports}
 * has no address and is left out) whose element for {@code VIP . tcp . PORT} jumps or goes to a
 * chain that leads, through jumps, gotos and verdict maps ({@code numgen random mod N vmap}), to
 * {@code dnat to EP:PORT} statements. Those are the service's endpoints. Only {@code ip} and
 * {@code inet} tables are read: kpsim's packets are IPv4.
 */
final class NftServices {

    private static final int TCP = 6;

    private NftServices() {}

    /** The TCP services of {@code ruleset}, in the order their map elements appear. */
    static List<ServiceMapping> of(NftRuleset ruleset) {
        Map<Long, List<ServiceMapping.Endpoint>> found = new LinkedHashMap<>();
        for (NftTable table : ruleset.tables()) {
            if (!table.family().seesIpv4()) {
                continue;
            }
            for (NftSet set : table.sets()) {
                if (!set.isVerdictMap() || !isServiceKey(set.key())) {
                    continue;
                }
                for (SetElement e : set.elements()) {
                    if (!e.isPoint() || e.verdict() == null || e.verdict().chain() == null) {
                        continue;
                    }
                    KeyType k = set.key();
                    int proto = (int) e.low().slice(k.offset(1), 1).bigEndianValue();
                    if (proto != TCP) {
                        continue;
                    }
                    long vip = e.low().slice(0, 4).bigEndianValue();
                    int port = (int) e.low().slice(k.offset(2), 2).bigEndianValue();
                    Set<ServiceMapping.Endpoint> endpoints = new LinkedHashSet<>();
                    dnats(table, e.verdict().chain(), endpoints, new HashSet<>());
                    if (!endpoints.isEmpty()) {
                        List<ServiceMapping.Endpoint> list =
                                found.computeIfAbsent(vip << 16 | port, x -> new ArrayList<>());
                        for (ServiceMapping.Endpoint ep : endpoints) {
                            if (!list.contains(ep)) {
                                list.add(ep);
                            }
                        }
                    }
                }
            }
        }
        List<ServiceMapping> services = new ArrayList<>();
        found.forEach((front, endpoints) ->
                services.add(new ServiceMapping((int) (front >>> 16), (int) (front & 0xffff), endpoints)));
        return services;
    }

    /** {@code ipv4_addr . inet_proto . inet_service}. */
    private static boolean isServiceKey(KeyType key) {
        return key.fields().equals(List.of(DataType.IPV4_ADDR, DataType.INET_PROTO, DataType.INET_SERVICE));
    }

    private static void dnats(NftTable table, String chainName, Set<ServiceMapping.Endpoint> out, Set<String> seen) {
        NftChain chain = table.chain(chainName);
        if (chain == null || !seen.add(chainName)) {
            return;
        }
        for (NftRule rule : chain.rules()) {
            for (Statement s : rule.statements()) {
                if (s instanceof NatStmt n
                        && !n.source()
                        && n.address() != null
                        && n.addressType() == DataType.IPV4_ADDR
                        && n.minPort() != 0) {
                    out.add(new ServiceMapping.Endpoint((int) n.address().bigEndianValue(), n.minPort()));
                } else if (s instanceof VerdictStmt v) {
                    follow(table, v.verdict(), out, seen);
                } else if (s instanceof VmapStmt vm) {
                    NftSet map = vm.map().name() != null
                            ? table.set(vm.map().name())
                            : vm.map().anonymous();
                    if (map != null) {
                        for (SetElement e : map.elements()) {
                            follow(table, e.verdict(), out, seen);
                        }
                    }
                }
            }
        }
    }

    private static void follow(NftTable table, Verdict v, Set<ServiceMapping.Endpoint> out, Set<String> seen) {
        if (v != null && v.chain() != null) {
            dnats(table, v.chain(), out, seen);
        }
    }
}
