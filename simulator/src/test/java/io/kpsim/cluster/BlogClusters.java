package io.kpsim.cluster;

import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import java.util.Map;

/** The two-node cluster of the blog and the e2e test, for the end-to-end tests. */
final class BlogClusters {

    static final String VIP = "10.96.0.10";
    static final String CLIENT_IP = "10.244.0.2";
    static final String SERVER_IP = "10.244.1.2";

    private BlogClusters() {}

    /** Node A with the client, node B with the server, service boom-server:9000. */
    static ClusterBuilder twoNodes(long seed, KernelProfile kernel, Map<String, String> sysctls, boolean dropInvalid) {
        return new ClusterBuilder(seed)
                .node("node-a", "10.0.0.1", "10.244.0.0/24", kernel, sysctls, dropInvalid)
                .node("node-b", "10.0.0.2", "10.244.1.0/24", kernel, sysctls, dropInvalid)
                .pod("client", "node-a", CLIENT_IP)
                .pod("server", "node-b", SERVER_IP)
                .service("default", "boom-server", VIP, 9000, 9000, "server");
    }

    /**
     * tcarmet's load test: ten client pods on node A each looping 4 MiB downloads from one file
     * server on node B through the ClusterIP, over a 1 Gbit/s link with a 1 MB drop-tail queue
     * from B to A that holds one packet in {@code 1 / holdBackProbability} back by 30 ms (a delay
     * spike on a multi-path route).
     */
    static Cluster tcarmet(
            long seed,
            KernelProfile kernel,
            Map<String, String> sysctls,
            boolean dropInvalid,
            double holdBackProbability) {
        LinkImpairments bToA = LinkImpairments.delay(Durations.micros(100))
                .withBandwidth(125_000_000, 1_000_000)
                .withHoldBack(holdBackProbability, Durations.millis(30));
        ClusterBuilder b = twoNodes(seed, kernel, sysctls, dropInvalid)
                .link("node-b", "node-a", bToA)
                .workload(new FileServerSpec("server", 9000, 4 << 20, true));
        for (int i = 0; i < 10; i++) {
            b.pod("client-" + i, "node-a", "10.244.0." + (10 + i));
            b.workload(new DownloadClientSpec("client-" + i, Ip4.parse(VIP), 9000, 4 << 20, 0, 1, 0));
        }
        return b.build();
    }

    /** The e2e test: the boom server and one {@code nc boom-server 9000}. */
    static Cluster boom(long seed, KernelProfile kernel, Map<String, String> sysctls, boolean dropInvalid) {
        return twoNodes(seed, kernel, sysctls, dropInvalid)
                .workload(BoomServerSpec.of("server"))
                .workload(new ConnectLoopSpec("client", Ip4.parse(VIP), 9000, Durations.seconds(2), 0, 1))
                .build();
    }
}
