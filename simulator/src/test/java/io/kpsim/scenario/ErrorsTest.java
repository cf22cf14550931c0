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
            + "apiVersion: kpsim/v1\n"                                               // 1
            + "kind: Scenario\n"                                                     // 2
            + "metadata:\n"                                                          // 3
            + "  name: t\n"                                                          // 4
            + "spec:\n"                                                              // 5
            + "  duration: 10s\n"                                                    // 6
            + "  nodes:\n"                                                           // 7
            + "    - {name: node-a, ip: 192.168.0.10, podCIDR: 10.244.1.0/24}\n"    // 8
            + "    - {name: node-b, ip: 192.168.0.11, podCIDR: 10.244.2.0/24}\n"    // 9
            + "  pods:\n"                                                            // 10
            + "    - {name: client, node: node-a, ip: 10.244.1.2}\n"                 // 11
            + "    - {name: server, node: node-b, ip: 10.244.2.2}\n"                 // 12
            + "  services:\n"                                                        // 13
            + "    - name: files\n"                                                  // 14
            + "      clusterIP: 10.96.0.10\n"                                        // 15
            + "      ports: [{port: 80, targetPort: 8080}]\n"                        // 16
            + "      endpoints: [server]\n"                                          // 17
            + "  workloads:\n"                                                       // 18
            + "    - {kind: fileServer, pod: server, port: 8080}\n"                  // 19
            + "    - {kind: download, pod: client, service: \"files:80\"}\n"        // 20
            + "  expect:\n"                                                          // 21
            + "    resets: 0\n";                                                     // 22

    static List<String> problems(String yaml, String... overrides) {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> ScenarioLoader.parse(yaml, "t.yaml", List.of(overrides)));
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
    void scratch() {
        String[][] cases = {
            {"  duration: 10s", "  durration: 10s"},
            {"  duration: 10s", "  duration: 10s\n  duration: 5s"},
            {"  duration: 10s", "  duration: 10s\n\tseed: 1"},
            {"kind: Scenario", "kind: [Scenario"},
            {"ip: 192.168.0.11,", "ip: 192.168.0.10,"},
            {"  pods:", "  links:\n    - {between: [client, node-b]}\n    - {between: [client, server]}\n    - {between: [node-a, node-b]}\n    - {between: [node-b, node-a], delay: 1ms}\n    - {between: [node-a]}\n  pods:"},
            {"    - name: files", "    - name: files\n      clusterIP: 10.96.0.11\n      ports: [{port: 80}]\n    - name: files"},
            {"ports: [{port: 80, targetPort: 8080}]", "ports: [{port: 80, targetPort: 8080}, {port: 81, protocol: SCTP}]"},
            {"    - {kind: fileServer, pod: server, port: 8080}", "    - {kind: fileServer, pod: server, port: 8080}\n    - {kind: boomServer, pod: server, port: 8080}\n    - {kind: connectLoop, pod: client, service: files:80, interval: 1ms}\n    - {pod: client}\n    - [1]"},
            {"    resets: 0", "    resets: 0\n  injections:\n    - {at: 1s, pod: client, kind: badAck}"},
            {"    resets: 0", "    resets: [\"> 1\", -1]\n    packets: []"},
        };
        for (String[] c : cases) {
            try {
                ScenarioLoader.parse(replace(c[0], c[1]), "t.yaml", List.of());
                System.out.println("CASE " + c[1] + " -> OK");
            } catch (ScenarioException e) {
                System.out.println("CASE " + c[1] + "\n" + e.getMessage());
            }
        }
        String[][] ov = {
            {"spec.foo=1"}, {"spec.kernel=6.18", "spec.kubeProxy.dropInvalid=yes please"}, {"spec.links[0].loss=0.01"},
            {"spec.workloads[5].count=2"}, {"spec.workloads[1].count=20"}, {"spec.duration.x=1"}, {"spec"}, {"spec..x=1"},
            {"spec.nodes[0].ip=10.244.1.7"}, {"spec.sysctls.net.netfilter.nf_conntrack_tcp_be_liberal=1"},
            {"spec.workloads[1]={kind: download, pod: client, service: files:80, count: 0}"}, {"spec.kernel=[1,"},
        };
        for (String[] o : ov) {
            try {
                ScenarioLoader.parse(BASE, "t.yaml", List.of(o));
                System.out.println("OVERRIDE " + String.join(" ", o) + " -> OK");
            } catch (ScenarioException e) {
                System.out.println("OVERRIDE " + String.join(" ", o) + "\n" + e.getMessage());
            } catch (RuntimeException e) {
                System.out.println("OVERRIDE " + String.join(" ", o) + " -> " + e);
            }
        }
    }
}
