package io.kpsim.cluster;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.netfilter.NetInterface;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.Route;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.packet.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * A node's devices and routing table, as the CNI plugin and the node's setup leave them: the
 * bridge holding the pod CIDR's gateway address and the route to the pod CIDR, one uplink per
 * linked peer with routes to the peer's pod CIDR and address, a device per second link, then the
 * spec's own routes, each replacing a route to the same destination ({@code ip route replace},
 * {@code fib_table_insert()} with {@code NLM_F_REPLACE}). Apart from {@link ClusterBuilder} so that
 * the builder reads as the wiring of objects and this as one node's L3 setup.
 */
final class NodeRoutes {

    private NodeRoutes() {}

    /**
     * The datapath of {@code spec}, node {@code index} of {@code nodes}.
     *
     * @param linked whether a node has a first link to another one
     */
    static NodeDatapath datapath(
            Cluster cluster,
            NodeSpec spec,
            int index,
            List<NodeSpec> nodes,
            Ruleset rules,
            BiPredicate<NodeSpec, NodeSpec> linked,
            List<SecondLink> secondLinks) {
        Conntrack conntrack =
                new Conntrack(spec.kernel(), spec.sysctls(), cluster.streams().seedFor("conntrack:" + spec.name()));
        List<NetInterface> interfaces = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        interfaces.add(new NetInterface(Node.BRIDGE, spec.podCidr().network() + 1));
        routes.add(new Route(spec.podCidr(), Node.BRIDGE));
        for (int k = 0; k < nodes.size(); k++) {
            NodeSpec peer = nodes.get(k);
            if (linked.test(spec, peer)) {
                String iface = Node.uplinkName(k);
                interfaces.add(new NetInterface(iface, spec.ip()));
                routes.add(new Route(peer.podCidr(), iface));
                routes.add(new Route(new Cidr(peer.ip(), 32), iface));
            }
        }
        for (SecondLink l : secondLinks) {
            if (l.a().equals(spec.name()) || l.b().equals(spec.name())) {
                interfaces.add(new NetInterface(l.name(), spec.ip()));
            }
        }
        for (NodeRoute r : spec.routes()) {
            String iface = r.link().isEmpty() ? Node.uplinkName(indexOf(nodes, r.via())) : r.link();
            routes.removeIf(existing -> existing.destination().equals(r.destination()));
            routes.add(new Route(r.destination(), iface));
        }
        return new NodeDatapath(
                conntrack, rules, interfaces, routes, cluster.streams().seedFor("netfilter:" + spec.name()));
    }

    private static int indexOf(List<NodeSpec> nodes, String name) {
        for (int k = 0; k < nodes.size(); k++) {
            if (nodes.get(k).name().equals(name)) {
                return k;
            }
        }
        throw new IllegalStateException("route via unknown node " + name + " passed validation");
    }
}
