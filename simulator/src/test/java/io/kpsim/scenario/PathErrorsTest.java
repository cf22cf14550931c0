package io.kpsim.scenario;

import static io.kpsim.scenario.ErrorsTest.problems;
import static io.kpsim.scenario.ErrorsTest.replace;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kpsim.cluster.NodeRoute;
import io.kpsim.cluster.PodSpec;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The path pieces of a scenario (routes per node, named second links, hostNetwork pods, NodePorts
 * and clients that use them): bound as written, and every mistake reported once at its own line
 * and column. Line numbers refer to {@link ErrorsTest#BASE}.
 */
class PathErrorsTest {

    private static final String NODE_A = "    - {name: node-a, ip: 192.168.0.10, podCIDR: 10.244.1.0/24}\n";
    private static final String NODE_B = "    - {name: node-b, ip: 192.168.0.11, podCIDR: 10.244.2.0/24}\n";
    private static final String NODE_C = "    - {name: node-c, ip: 192.168.0.12, podCIDR: 10.244.3.0/24}\n";

    private static String withRoute(String route) {
        return replace(
                NODE_A + NODE_B,
                "    - {name: node-a, ip: 192.168.0.10, podCIDR: 10.244.1.0/24, routes: [" + route + "]}\n" + NODE_B
                        + NODE_C);
    }

    @Test
    void routesBindToTheNodeInOrderAndMayNameALaterNode() throws ScenarioException {
        Scenario s = ScenarioLoader.parse(
                withRoute("{to: 10.244.2.0/24, via: node-c}, {to: 10.9.0.0/16, via: node-b}"), "t.yaml", List.of());
        assertEquals(
                List.of(
                        new NodeRoute(Cidr.parse("10.244.2.0/24"), "node-c", ""),
                        new NodeRoute(Cidr.parse("10.9.0.0/16"), "node-b", "")),
                s.spec().node("node-a").orElseThrow().routes());
        assertEquals(List.of(), s.spec().node("node-b").orElseThrow().routes());
    }

    @Test
    void aRouteMustGoToAnotherKnownNode() {
        assertEquals(
                List.of("t.yaml:8:98: spec.nodes[0].routes[0].via: node 'node-d' does not exist (did you mean"
                        + " 'node-a'?)"),
                problems(withRoute("{to: 10.244.2.0/24, via: node-d}")));
        assertEquals(
                List.of("t.yaml:8:98: spec.nodes[0].routes[0].via: 'node-a' is this node itself (expected the"
                        + " next-hop node, another node)"),
                problems(withRoute("{to: 10.244.2.0/24, via: node-a}")));
        assertEquals(
                List.of("t.yaml:8:112: spec.nodes[0].routes[1].to: 10.244.2.0/24 is routed twice (first at line 8)"
                        + " (expected one route per prefix)"),
                problems(withRoute("{to: 10.244.2.0/24, via: node-c}, {to: 10.244.2.0/24, via: node-b}")));
        assertEquals(
                List.of("t.yaml:8:73: missing required key 'via' under spec.nodes[0].routes[0]"),
                problems(withRoute("{to: 10.244.2.0/24}")));
    }

    @Test
    void aRoutesLinkMustBeANamedLinkBetweenTheTwoNodes() throws ScenarioException {
        String links = "  links:\n    - {between: [node-a, node-b], name: backup}\n  workloads:\n";
        String ok = withRoute("{to: 10.244.2.0/24, via: node-b, link: backup}").replace("  workloads:\n", links);
        Scenario s = ScenarioLoader.parse(ok, "t.yaml", List.of());
        assertEquals("backup", s.spec().links().get(0).name());
        assertEquals(
                "backup", s.spec().node("node-a").orElseThrow().routes().get(0).link());
        List<String> wrong = problems(ok.replace("link: backup}", "link: bakup}"));
        assertEquals(1, wrong.size(), wrong.toString());
        assertEquals(
                "t.yaml:8:112: spec.nodes[0].routes[0].link: no link named 'bakup' joins node-a and node-b (did you"
                        + " mean 'backup'?) (expected the name of a spec.links entry between them)",
                wrong.get(0));
        assertEquals(
                List.of("t.yaml:20:41: spec.links[0].name: 'cni0' is not a free device name (expected 1 to 15"
                        + " letters, digits, '_', '.' or '-', and not lo, cni0 or ethN)"),
                problems(ok.replace("backup", "cni0")));
    }

    @Test
    void aSecondLinkNeedsADistinctName() {
        String links =
                "  links:\n    - {between: [node-a, node-b]}\n    - {between: [node-b, node-a]}\n" + "  workloads:\n";
        assertEquals(
                List.of("t.yaml:20:17: spec.links[1].between: node-b and node-a already have a link (first at line"
                        + " 19) (expected one entry per pair; give a second wire a name)"),
                problems(ErrorsTest.BASE.replace("  workloads:\n", links)));
        assertEquals(
                List.of("t.yaml:19:41: spec.links[0].name: a pod has one veth (expected a name only on a second"
                        + " link between two nodes)"),
                problems(ErrorsTest.BASE.replace(
                        "  workloads:\n",
                        "  links:\n    - {between: [client, node-a]," + " name: x}\n  workloads:\n")));
    }

    @Test
    void aHostNetworkPodHasItsNodesAddress() throws ScenarioException {
        Scenario s = ScenarioLoader.parse(
                replace(
                        "    - {name: server, node: node-b, ip: 10.244.2.2}",
                        "    - {name: server, node: node-b, hostNetwork: true}"),
                "t.yaml",
                List.of());
        PodSpec server = s.spec().pod("server").orElseThrow();
        assertEquals(true, server.hostNetwork());
        assertEquals(Ip4.parse("192.168.0.11"), server.ip());
        assertEquals(
                List.of("t.yaml:12:40: spec.pods[1].ip: 10.244.2.2 is not node node-b's address 192.168.0.11 (a"
                        + " hostNetwork pod has its node's address; leave ip out)"),
                problems(replace(
                        "    - {name: server, node: node-b, ip: 10.244.2.2}",
                        "    - {name: server, node: node-b, ip: 10.244.2.2, hostNetwork: true}")));
    }

    @Test
    void nodePortsAreUniqueAndClientsNeedOne() throws ScenarioException {
        String withNodePort = replace(
                "      ports: [{port: 80, targetPort: 8080}]",
                "      ports: [{port: 80, targetPort: 8080, nodePort: 30080}]");
        String viaNodePort =
                withNodePort.replace("service: \"files:80\"}", "service: \"files:80\", nodePortOn: node-b}");
        Scenario s = ScenarioLoader.parse(viaNodePort, "t.yaml", List.of());
        io.kpsim.cluster.DownloadClientSpec d =
                (io.kpsim.cluster.DownloadClientSpec) s.spec().workloads().get(1);
        assertEquals(Ip4.parse("192.168.0.11"), d.serverIp());
        assertEquals(30080, d.serverPort());
        assertEquals(30080, s.spec().services().get(0).ports().get(0).nodePort());
        assertEquals(
                List.of("t.yaml:20:70: spec.workloads[1].nodePortOn: port 80 of service default/files:80 has no"
                        + " nodePort (expected nodePort: N on that service port)"),
                problems(ErrorsTest.BASE.replace(
                        "service: \"files:80\"}", "service: \"files:80\", nodePortOn: node-b}")));
        String second = "    - name: other\n      clusterIP: 10.96.0.11\n"
                + "      ports: [{port: 81, nodePort: 30080}]\n      endpoints: [server]\n  workloads:\n";
        assertEquals(
                List.of("t.yaml:20:14: spec.services[1].ports: nodePort 30080/TCP is already taken by service"
                        + " default/files (expected NodePorts unique in the cluster)"),
                problems(withNodePort.replace("  workloads:\n", second)));
        assertEquals(
                List.of("t.yaml:16:54: spec.services[0].ports[0].nodePort: 70000 is out of range (expected 1..65535)"),
                problems(withNodePort.replace("nodePort: 30080", "nodePort: 70000")));
    }
}
