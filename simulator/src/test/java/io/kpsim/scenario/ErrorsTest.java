package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every class of user error is reported as {@code FILE:LINE:COLUMN: message}, all at once, sorted by
 * position. Each test breaks {@link #BASE} in one place (line numbers below refer to it).
 */
class ErrorsTest {

    /** A minimal valid scenario; the numbers are its line numbers. */
    static final String BASE = ""
            + "apiVersion: kpsim/v1\n" // 1
            + "kind: Scenario\n" // 2
            + "metadata:\n" // 3
            + "  name: t\n" // 4
            + "spec:\n" // 5
            + "  duration: 10s\n" // 6
            + "  nodes:\n" // 7
            + "    - {name: node-a, ip: 192.168.0.10, podCIDR: 10.244.1.0/24}\n" // 8
            + "    - {name: node-b, ip: 192.168.0.11, podCIDR: 10.244.2.0/24}\n" // 9
            + "  pods:\n" // 10
            + "    - {name: client, node: node-a, ip: 10.244.1.2}\n" // 11
            + "    - {name: server, node: node-b, ip: 10.244.2.2}\n" // 12
            + "  services:\n" // 13
            + "    - name: files\n" // 14
            + "      clusterIP: 10.96.0.10\n" // 15
            + "      ports: [{port: 80, targetPort: 8080}]\n" // 16
            + "      endpoints: [server]\n" // 17
            + "  workloads:\n" // 18
            + "    - {kind: fileServer, pod: server, port: 8080}\n" // 19
            + "    - {kind: download, pod: client, service: \"files:80\"}\n" // 20
            + "  expect:\n" // 21
            + "    resets: 0\n"; // 22

    static List<String> problems(String yaml, String... overrides) {
        ScenarioException e =
                assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(yaml, "t.yaml", List.of(overrides)));
        List<String> lines = e.getProblems().stream().map(Problem::toString).collect(Collectors.toList());
        assertEquals(String.join("\n", lines), e.getMessage());
        return lines;
    }

    static String replace(String from, String to) {
        if (!BASE.contains(from)) {
            throw new IllegalArgumentException("BASE has no '" + from + "'");
        }
        return BASE.replace(from, to);
    }

    @Test
    void theBaseIsValid() throws ScenarioException {
        assertEquals(
                "t", ScenarioLoader.parse(BASE, "t.yaml", List.of()).metadata().name());
    }

    @Test
    void unknownKeyGetsADidYouMeanHintAndNoSecondMessage() {
        assertEquals(
                List.of("t.yaml:6:3: unknown key 'durration' under spec (did you mean 'duration'?)"),
                problems(replace("  duration: 10s", "  durration: 10s")));
        assertEquals(
                List.of("t.yaml:22:5: unknown key 'resetz' under spec.expect (did you mean 'resets'?)"),
                problems(replace("    resets: 0", "    resetz: 0")));
    }

    @Test
    void unknownKeyWithoutCloseMatchListsTheKeys() {
        assertEquals(
                List.of("t.yaml:7:3: unknown key 'colour' under spec (expected one of: seed, duration, kernel,"
                        + " sysctls, kubeProxy, nodes, pods, services, links, workloads, injections, expect)"),
                problems(replace("  nodes:", "  colour: red\n  nodes:")));
    }

    @Test
    void duplicateKeysPointAtTheFirst() {
        assertEquals(
                List.of("t.yaml:7:3: duplicate key 'duration' under spec (first at line 6)"),
                problems(replace("  duration: 10s", "  duration: 10s\n  duration: 5s")));
    }

    @Test
    void metadataNameIsAKubernetesObjectName() {
        assertEquals(
                List.of("t.yaml:4:9: metadata.name: 'Blog_Reset' is not a valid name (expected a DNS-1123"
                        + " subdomain: at most 253 lower-case letters, digits, '-' and '.', e.g. boom-4.19)"),
                problems(replace("  name: t\n", "  name: Blog_Reset\n")));
    }

    @Test
    void apiVersionAndKindMustMatch() {
        assertEquals(
                List.of(
                        "t.yaml:1:13: apiVersion: 'v1' is not supported (expected kpsim/v1)",
                        "t.yaml:2:7: kind: 'Scenaro' is not supported (expected Scenario)"),
                problems(replace("kpsim/v1", "v1").replace("kind: Scenario", "kind: Scenaro")));
    }

    @Test
    void missingRequiredKeysAreReportedWhereTheMappingStarts() {
        assertEquals(
                List.of("t.yaml:3:10: missing required key 'name' under metadata"),
                problems(replace("  name: t\n", "")));
        assertEquals(
                List.of("t.yaml:6:3: missing required key 'duration' under spec"),
                problems(replace("  duration: 10s\n", "")));
    }

    @Test
    void wrongTypes() {
        assertEquals(
                List.of(
                        "t.yaml:6:13: spec.duration: expected a string, found a list",
                        "t.yaml:7:10: spec.nodes: expected a list, found a mapping"),
                problems("apiVersion: kpsim/v1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  duration: [1]\n"
                        + "  nodes: {}\n"));
        assertEquals(
                List.of("t.yaml:20:65: spec.workloads[1].count: 'many' is not an integer (expected 1..1000000)"),
                problems(replace("\"files:80\"}", "\"files:80\", count: many}")));
        assertEquals(
                List.of("t.yaml:6:13: spec.duration: duration '2d' has unknown unit 'd' (expected a number with a"
                        + " unit ns, us, ms, s, m or h, e.g. 250ms, 1.5s or 1m30s)"),
                problems(replace("10s", "2d")));
    }

    @Test
    void badAddressesAndPrefixes() {
        assertEquals(
                List.of("t.yaml:12:40: spec.pods[1].ip: '10.244.2.256' is not an IPv4 address (expected a.b.c.d)"),
                problems(replace("10.244.2.2}", "10.244.2.256}")));
        assertEquals(
                List.of("t.yaml:9:49: spec.nodes[1].podCIDR: 10.244.2.1/24 has host bits set (expected"
                        + " 10.244.2.0/24)"),
                problems(replace("10.244.2.0/24", "10.244.2.1/24")));
        assertEquals(
                List.of("t.yaml:9:49: spec.nodes[1].podCIDR: '10.244.2.0' has no prefix length (expected a CIDR"
                        + " like 10.244.1.0/24)"),
                problems(replace("10.244.2.0/24", "10.244.2.0")));
    }

    @Test
    void podIpMustLieInItsNodesPodCidr() {
        assertEquals(
                List.of("t.yaml:12:40: spec.pods[1].ip: 10.244.3.2 is outside node node-b's podCIDR 10.244.2.0/24"
                        + " (expected an address in 10.244.2.0/24)"),
                problems(replace("10.244.2.2}", "10.244.3.2}")));
        assertEquals(
                List.of("t.yaml:12:40: spec.pods[1].ip: 10.244.2.255 is the broadcast address of 10.244.2.0/24"
                        + " (expected a host address)"),
                problems(replace("10.244.2.2}", "10.244.2.255}")));
    }

    @Test
    void overlappingAndDuplicateAddressesAndNames() {
        assertEquals(
                List.of("t.yaml:9:49: spec.nodes[1].podCIDR: 10.244.1.128/25 overlaps node node-a's podCIDR"
                        + " 10.244.1.0/24 (expected disjoint pod CIDRs)"),
                problems(replace("10.244.2.0/24", "10.244.1.128/25").replace("10.244.2.2}", "10.244.1.130}"))
                        .subList(0, 1));
        assertEquals(
                List.of("t.yaml:9:26: spec.nodes[1].ip: 192.168.0.10 is already the address of node node-a"
                        + " (expected unique addresses)"),
                problems(replace("192.168.0.11", "192.168.0.10")));
        assertEquals(
                List.of("t.yaml:12:40: spec.pods[1].ip: 10.244.1.2 is already the address of pod client"
                        + " (expected unique addresses)"),
                problems(replace("node: node-b, ip: 10.244.2.2", "node: node-a, ip: 10.244.1.2"))
                        .subList(0, 1));
        assertEquals(
                List.of(
                        "t.yaml:11:14: spec.pods[0].name: 'node-a' is already the name of a node (first at line 8)"
                                + " (expected names unique among nodes and pods)",
                        "t.yaml:20:29: spec.workloads[1].pod: pod 'client' does not exist (expected one of: server)"),
                problems(replace("name: client,", "name: node-a,")));
        assertEquals(
                List.of("t.yaml:15:18: spec.services[0].clusterIP: 10.244.2.9 is inside the pod CIDR 10.244.2.0/24"
                        + " (expected a service address outside every pod network)"),
                problems(replace("10.96.0.10", "10.244.2.9")));
    }

    @Test
    void referencesMustExist() {
        assertEquals(
                List.of("t.yaml:12:28: spec.pods[1].node: node 'node-c' does not exist (did you mean 'node-a'?)"),
                problems(replace("node: node-b", "node: node-c")));
        assertEquals(
                List.of("t.yaml:17:19: spec.services[0].endpoints[0]: pod 'sever' does not exist (did you mean"
                        + " 'server'?)"),
                problems(replace("[server]", "[sever]")));
        assertEquals(
                List.of("t.yaml:20:46: spec.workloads[1].service: service 'default/flies' does not exist (did you"
                        + " mean 'default/files'?)"),
                problems(replace("files:80", "flies:80")));
        assertEquals(
                List.of("t.yaml:20:46: spec.workloads[1].service: service default/files has no port '81' (expected"
                        + " one of: 80)"),
                problems(replace("files:80", "files:81")));
        assertEquals(
                List.of("t.yaml:20:46: spec.workloads[1].service: endpoint pod 'server' of service default/files"
                        + " runs no fileServer on target port 8080 (expected a fileServer workload with pod: server,"
                        + " port: 8080)"),
                problems(replace("port: 8080}", "port: 8081}")));
        assertEquals(
                List.of("t.yaml:20:46: spec.workloads[1].service: 'files' has no port (expected name:port or"
                        + " namespace/name:port, e.g. nginx:80)"),
                problems(replace("files:80", "files")));
    }

    @Test
    void valuesOutOfRange() {
        assertEquals(
                List.of("t.yaml:16:22: spec.services[0].ports[0].port: 70000 is out of range (expected 1..65535)"),
                problems(replace("port: 80,", "port: 70000,")));
        assertEquals(
                List.of("t.yaml:6:13: spec.duration: 0s is out of range (expected more than 0 and at most 86400s)"),
                problems(replace("10s", "0s")));
        assertEquals(
                List.of("t.yaml:6:13: spec.duration: 25h is out of range (expected more than 0 and at most 86400s)"),
                problems(replace("10s", "25h")));
        assertEquals(
                List.of(
                        "t.yaml:20:65: spec.workloads[1].count: 2000000 is out of range (expected 1..1000000)",
                        "t.yaml:20:97: spec.workloads[1].fileSize: 2TiB is out of range (expected more than 0 and at most 1TiB)",
                        "t.yaml:20:113: spec.workloads[1].readRate: rate '100Mbps' is ambiguous: write 100Mbit for bits or"
                                + " 100MB/s for bytes per second"),
                problems(replace(
                        "\"files:80\"}",
                        "\"files:80\", count: 2000000, parallel: 3, fileSize: 2TiB," + " readRate: 100Mbps}")));
        assertEquals(
                List.of("t.yaml:20:78: spec.workloads[1].parallel: 3 is more than count 2 (expected parallel"
                        + " <= count)"),
                problems(replace("\"files:80\"}", "\"files:80\", count: 2, parallel: 3}")));
    }

    @Test
    void linkProblemsAllAtOnce() {
        String links = "  links:\n"
                + "    - {between: [node-a, node-b], loss: 1.5, duplicate: -1, jitter: 1ms, queue: 1MiB,"
                + " reorder: {probability: 0.1}}\n" // 11
                + "    - {between: [client, node-b]}\n" // 12
                + "    - {between: [client, server]}\n" // 13
                + "    - {between: [node-b, node-a], delay: 1ms}\n" // 14
                + "    - {between: [node-a]}\n" // 15
                + "    - {between: [node-a, nod-b], lossy: 1}\n" // 16
                + "  pods:";
        assertEquals(
                List.of(
                        "t.yaml:11:41: spec.links[0].loss: 1.5 is out of range (expected 0 to 1, e.g. 0.01 or 1%)",
                        "t.yaml:11:57: spec.links[0].duplicate: -1 is out of range (expected 0 to 1, e.g. 0.01 or 1%)",
                        "t.yaml:11:69: spec.links[0].jitter: 1ms is larger than the delay 0s (expected jitter <= delay, so no"
                                + " packet arrives before it was sent)",
                        "t.yaml:11:74: spec.links[0].queue: a queue has no effect without a bandwidth (expected bandwidth on"
                                + " the same link, e.g. bandwidth: 1Gbit)",
                        "t.yaml:11:96: missing required key 'holdFor' under spec.links[0].reorder",
                        "t.yaml:12:17: spec.links[1].between: pod 'client' runs on node 'node-a', not 'node-b' (expected a pod"
                                + " and its own node: the link is the pod's veth)",
                        "t.yaml:13:17: spec.links[2].between: 'client' and 'server' are both pods (expected two nodes, or a pod"
                                + " and its own node: pods reach each other through their nodes)",
                        "t.yaml:15:17: spec.links[4].between: 1 name given (expected exactly two, e.g. [node-a, node-b])",
                        "t.yaml:16:26: spec.links[5].between[1]: 'nod-b' is neither a node nor a pod (did you mean 'node-b'?)",
                        "t.yaml:16:34: unknown key 'lossy' under spec.links[5] (did you mean 'loss'?)"),
                problems(replace("  pods:", links)));
        assertEquals(
                List.of("t.yaml:12:17: spec.links[1].between: node-b and node-a already have a link (first at"
                        + " line 11) (expected one entry per pair; give a second wire a name)"),
                problems(replace(
                        "  pods:",
                        "  links:\n    - {between: [node-a, node-b]}\n    - {between: [node-b,"
                                + " node-a], delay: 1ms}\n  pods:")));
    }

    @Test
    void serviceProblems() {
        assertEquals(
                List.of(
                        "t.yaml:16:15: missing required key 'name' under spec.services[0].ports[0] (a service with several ports"
                                + " must name each one)",
                        "t.yaml:16:45: missing required key 'name' under spec.services[0].ports[1] (a service with several ports"
                                + " must name each one)",
                        "t.yaml:16:66: spec.services[0].ports[1].protocol: unknown value 'SCTP' (did you mean 'TCP'?)"),
                problems(replace(
                        "{port: 80, targetPort: 8080}]",
                        "{port: 80, targetPort: 8080}, {port: 81, protocol:" + " SCTP}]")));
        assertEquals(
                List.of("t.yaml:18:13: spec.services[1].name: service default/files is already defined (first at"
                        + " line 14) (expected unique names)"),
                problems(replace(
                        "      endpoints: [server]\n",
                        "      endpoints: [server]\n    - name: files\n"
                                + "      clusterIP: 10.96.0.11\n      ports: [{port: 80}]\n")));
        assertEquals(
                List.of("t.yaml:20:46: spec.workloads[1].service: service default/files has no endpoints, so every"
                        + " connection would be refused (expected endpoints: [pod, ...] on the service)"),
                problems(replace("[server]", "[]")));
    }

    @Test
    void workloadProblems() {
        assertEquals(
                List.of("t.yaml:20:14: spec.workloads[1].kind: unknown value 'downlaod' (did you mean 'download'?)"),
                problems(replace("kind: download", "kind: downlaod")));
        assertEquals(
                List.of(
                        "t.yaml:20:45: spec.workloads[1].port: pod 'server' already has a server on port 8080 (first at line 19)"
                                + " (expected one server per pod and port)",
                        "t.yaml:21:7: missing required key 'kind' under spec.workloads[2] (expected one of: fileServer,"
                                + " download, boomServer, connectLoop)",
                        "t.yaml:22:7: spec.workloads[3]: expected a mapping with a kind (one of fileServer, download,"
                                + " boomServer, connectLoop), found a list",
                        "t.yaml:23:37: unknown key 'port' under spec.workloads[4] (did you mean 'pod'?)"),
                problems(replace(
                        "    - {kind: download",
                        "    - {kind: boomServer, pod: server, port: 8080}\n"
                                + "    - {pod: client}\n    - [1]\n    - {kind: download, pod: client, port: 80, service:"
                                + " \"files:80\"}\n    - {kind: download")));
        assertEquals(
                List.of("t.yaml:20:67: spec.workloads[1].startAt: 10s is not before the end of the scenario at 10s"
                        + " (expected startAt < spec.duration)"),
                problems(replace("\"files:80\"}", "\"files:80\", startAt: 10s}")));
    }

    @Test
    void aDownloadMustExpectTheFileItsServerSends() {
        assertEquals(
                List.of("t.yaml:20:68: spec.workloads[1].fileSize: 1MiB is not the 4MiB that the file server on pod"
                        + " 'server' port 8080 sends (expected its fileSize, or leave fileSize out)"),
                problems(replace("\"files:80\"}", "\"files:80\", fileSize: 1MiB}")));
    }

    @Test
    void injectionProblems() {
        String injections = "    resets: 0\n  injections:\n"
                + "    - {at: 11s, pod: server, kind: aboveUpperBond, offset: 0}\n" // 25
                + "    - {at: 1s, pod: lonely, kind: badAck}\n" // 26
                + "    - {at: 1s, pod: client, kind: badAck}\n"; // 27
        String yaml = replace(
                        "    - {name: server,",
                        "    - {name: lonely, node: node-b, ip: 10.244.2.9}\n" + "    - {name: server,")
                .replace("    resets: 0\n", injections);
        assertEquals(
                List.of(
                        "t.yaml:25:12: spec.injections[0].at: 11s is not before the end of the scenario at 10s (expected at"
                                + " < spec.duration)",
                        "t.yaml:25:36: spec.injections[0].kind: unknown value 'aboveUpperBond' (did you mean"
                                + " 'aboveUpperBound'?)",
                        "t.yaml:25:60: spec.injections[0].offset: 0 is out of range (expected more than 0 and at most 1GiB)",
                        "t.yaml:26:21: spec.injections[1].pod: pod 'lonely' runs no workload, so it has no connection to forge"
                                + " a segment on (expected the pod of a server or client workload)",
                        "t.yaml:27:21: spec.injections[2].pod: no client workload connects to a service that pod 'client'"
                                + " serves, so it has no connection to forge a segment on (expected an endpoint of a"
                                + " service that a download or connectLoop uses)"),
                problems(yaml));
    }

    @Test
    void expectationProblems() {
        assertEquals(
                List.of("t.yaml:22:13: spec.expect.resets: '>= x' is not a condition (expected an integer, or ==,"
                        + " !=, >=, <=, > or < followed by an integer, e.g. \">= 1\")"),
                problems(replace("resets: 0", "resets: \">= x\"")));
        assertEquals(
                List.of("t.yaml:22:13: spec.expect.resets: '!= 0' must be quoted, as YAML reads '!' as a tag"
                        + " (expected e.g. \"!= 0\")"),
                problems(replace("resets: 0", "resets: != 0")));
        assertEquals(
                List.of(
                        "t.yaml:22:21: spec.expect.resets: '-1' is not a condition (expected an integer, or ==, !=, >=, <=, > or"
                                + " < followed by an integer, e.g. \">= 1\")",
                        "t.yaml:23:14: spec.expect.packets: no condition given (expected an integer, or ==, !=, >=, <=, > or <"
                                + " followed by an integer, e.g. \">= 1\")"),
                problems(replace("    resets: 0", "    resets: [\"> 1\", -1]\n    packets: []")));
    }

    @Test
    void invalidYamlIsReportedWithSnakeYamlsPosition() {
        assertEquals(
                List.of("t.yaml:22:14: invalid YAML: expected chomping or indentation indicators, but found =(61)"
                        + " (while scanning a block scalar) (a condition starting with '>' must be quoted, e.g. resets:"
                        + " \">= 1\")"),
                problems(replace("resets: 0", "resets: >= 0")));
        assertEquals(
                List.of("t.yaml:3:9: invalid YAML: expected ',' or ']', but got : (while parsing a flow sequence"
                        + " started at line 2)"),
                problems(replace("kind: Scenario", "kind: [Scenario")));
        assertEquals(
                List.of("t.yaml:7:1: invalid YAML: found character '\\t(TAB)' that cannot start any token. (Do not"
                        + " use \\t(TAB) for indentation) (while scanning for the next token)"),
                problems(replace("  duration: 10s", "  duration: 10s\n\tseed: 1")));
    }

    @Test
    void wholeFileProblems() {
        assertEquals(
                List.of("t.yaml: the file is empty (expected a scenario with apiVersion: kpsim/v1, kind: Scenario,"
                        + " metadata and spec)"),
                problems("# nothing\n"));
        assertEquals(
                List.of("t.yaml:1:1: the document: expected a mapping of apiVersion, kind, metadata, spec, found a"
                        + " list"),
                problems("- a\n"));
        assertEquals(
                List.of(
                        "t.yaml:1:1: missing required key 'kind' under the document",
                        "t.yaml:1:1: missing required key 'metadata' under the document",
                        "t.yaml:1:1: missing required key 'spec' under the document"),
                problems("apiVersion: kpsim/v1\n"));
    }

    @Test
    void manyProblemsAreReportedTogetherInPositionOrder() {
        String yaml = replace("kpsim/v1", "kpsim/v2")
                .replace("10s", "ten")
                .replace("10.244.2.2}", "10.244.3.2}")
                .replace("[server]", "[sever]")
                .replace("resets: 0", "resest: 0");
        assertEquals(
                List.of(
                        "t.yaml:1:13: apiVersion: 'kpsim/v2' is not supported (expected kpsim/v1)",
                        "t.yaml:6:13: spec.duration: 'ten' is not a duration (expected a number with a unit ns, us, ms, s, m or"
                                + " h, e.g. 250ms, 1.5s or 1m30s)",
                        "t.yaml:12:40: spec.pods[1].ip: 10.244.3.2 is outside node node-b's podCIDR 10.244.2.0/24 (expected an"
                                + " address in 10.244.2.0/24)",
                        "t.yaml:17:19: spec.services[0].endpoints[0]: pod 'sever' does not exist (did you mean 'server'?)",
                        "t.yaml:22:5: unknown key 'resest' under spec.expect (did you mean 'resets'?)"),
                problems(yaml));
    }
}
