package io.kpsim.oracle;

import io.kpsim.netfilter.NetInterface;
import io.kpsim.netfilter.Route;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of the nftables oracle's node and of everything around it, the same for the
 * kernel's namespaces and for the model: the node's two devices (client side {@code nc} with
 * 192.168.50.1, the node's IP and NodePort address; server side {@code ns} with 10.244.0.1, like a
 * CNI bridge), clients behind the client side (external ones in 192.168.50.0/24, pod ones in
 * 10.244.9.0/24), and behind the server side pods (endpoints, 10.244.1.0/24), remote hosts
 * (203.0.113.0/24), ClusterIPs (172.30.0.0/16) and external/LoadBalancer IPs (198.51.100.0/24),
 * which the node routes out of its default route when nothing DNATs them.
 *
 * @param clientDevice the node's client-side device name
 * @param serverDevice the node's server-side device name
 */
record NftOraclePlan(String clientDevice, String serverDevice) {

    static final int NODE_IP = Ip4.parse("192.168.50.1");
    static final int NODE_POD_SIDE_IP = Ip4.parse("10.244.0.1");
    static final Cidr CLUSTER_CIDR = Cidr.parse("10.244.0.0/16");
    static final Cidr SERVICE_CIDR = Cidr.parse("172.30.0.0/16");
    static final int SENTINEL_SOURCE = Ip4.parse("198.18.0.1");
    static final int SENTINEL_DESTINATION = Ip4.parse("198.18.0.2");

    /** Clients of the outside world, behind the client side. */
    static List<Integer> externalClients() {
        return range("192.168.50.10", 20);
    }

    /** Pods of another node, reaching this one from the client side. */
    static List<Integer> podClients() {
        return range("10.244.9.10", 10);
    }

    /** Pods behind the server side: the endpoints. */
    static List<Integer> pods() {
        return range("10.244.1.10", 50);
    }

    /** Hosts beyond the server side. */
    static List<Integer> remotes() {
        return range("203.0.113.10", 10);
    }

    /** ClusterIPs. */
    static List<Integer> clusterIps() {
        return range("172.30.0.10", 40);
    }

    /** Extra Service addresses a second table DNATs. */
    static List<Integer> extraVips() {
        return range("172.31.0.10", 5);
    }

    /** External and LoadBalancer IPs. */
    static List<Integer> externalIps() {
        return range("198.51.100.10", 20);
    }

    private static List<Integer> range(String first, int n) {
        List<Integer> out = new ArrayList<>(n);
        int a = Ip4.parse(first);
        for (int i = 0; i < n; i++) {
            out.add(a + i);
        }
        return out;
    }

    /** Addresses reached through the client side (permanent neighbours there). */
    static List<Integer> clientSide() {
        List<Integer> out = new ArrayList<>(externalClients());
        out.addAll(podClients());
        return out;
    }

    /** Addresses reached through the server side (permanent neighbours there). */
    static List<Integer> serverSide() {
        List<Integer> out = new ArrayList<>(pods());
        out.addAll(remotes());
        out.addAll(clusterIps());
        out.addAll(extraVips());
        out.addAll(externalIps());
        out.add(SENTINEL_DESTINATION);
        return out;
    }

    /** The node's devices, as the model has them. */
    List<NetInterface> interfaces() {
        return List.of(new NetInterface(clientDevice, NODE_IP), new NetInterface(serverDevice, NODE_POD_SIDE_IP));
    }

    /** The node's routes: the client networks on the client side, everything else by the default route. */
    List<Route> routes() {
        return List.of(
                new Route(Cidr.parse("192.168.50.0/24"), clientDevice),
                new Route(Cidr.parse("10.244.9.0/24"), clientDevice),
                new Route(Cidr.parse("0.0.0.0/0"), serverDevice));
    }
}
