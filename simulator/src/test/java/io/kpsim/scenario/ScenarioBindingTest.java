package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.BoomServerSpec;
import io.kpsim.cluster.ConnectLoopSpec;
import io.kpsim.cluster.DownloadClientSpec;
import io.kpsim.cluster.FileServerSpec;
import io.kpsim.cluster.InjectionKind;
import io.kpsim.cluster.InjectionSpec;
import io.kpsim.cluster.NodeSpec;
import io.kpsim.cluster.PodSpec;
import io.kpsim.cluster.ServicePortSpec;
import io.kpsim.cluster.ServiceSpec;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import io.kpsim.tcp.TcpConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A scenario that uses every key binds to exactly the records it describes. */
class ScenarioBindingTest {

    static final String FULL = """
            apiVersion: kpsim/v1
            kind: Scenario
            metadata:
              name: full
              description: >
                Every key,
                once.
            spec:
              seed: -7
              duration: 1m30s
              kernel: 4.19
              kubeProxy:
                dropInvalid: true
                clusterCIDR: 10.244.0.0/16
              nodes:
                - {name: node-a, ip: 192.168.0.10, podCIDR: 10.244.1.0/24}
                - {name: node-b, ip: 192.168.0.11, podCIDR: 10.244.2.0/24}
              pods:
                - name: client
                  node: node-a
                  ip: 10.244.1.2
                  tcp:
                    receiveBuffer: 64KiB
                    sendBuffer: 16KiB
                    mss: 1400
                    readRate: 10MiB/s
                    sack: false
                    timestamps: false
                    windowScaling: false
                - {name: server, node: node-b, ip: 10.244.2.2}
                - {name: boom, node: node-b, ip: 10.244.2.3}
              services:
                - namespace: web
                  name: files
                  clusterIP: 10.96.0.10
                  ports:
                    - {name: http, port: 80, targetPort: 8080}
                    - {name: dns, port: 53, protocol: UDP}
                  endpoints: [server]
                - name: boom
                  clusterIP: 10.96.0.11
                  ports: [{port: 9000}]
                  endpoints: [boom]
              links:
                - between: [node-a, node-b]
                  delay: 1ms
                  jitter: 100us
                  bandwidth: 1Gbit
                  queue: 256KiB
                  loss: 0.01
                  duplicate: 0.5%
                  reorder: {probability: 0.02, holdFor: 30ms}
                - between: [node-b, server]
                  delay: 50us
              workloads:
                - {kind: fileServer, pod: server, port: 8080, fileSize: 8MiB}
                - kind: download
                  pod: client
                  service: web/files:http
                  count: 20
                  parallel: 4
                  startAt: 250ms
                - kind: download
                  pod: client
                  service: web/files:80
                  fileSize: 8MiB
                  readRate: 100Mbit
                - {kind: boomServer, pod: boom, port: 9000}
                - {kind: connectLoop, pod: client, service: "boom:9000", interval: 2s}
              injections:
                - {at: 3s, pod: server, kind: aboveUpperBound}
                - {at: 4.5s, pod: server, connection: 2, kind: belowLowerBound, offset: 64KiB}
                - {at: 5s, pod: boom, kind: badAck}
              expect:
                resets: ">= 1"
                completed: 20
                invalid: ["> 0", "<= 100"]
                invalidDropped: "!= 0"
                connections: "< 50"
            """;

    @Test
    void everyKeyBindsToItsRecord() throws ScenarioException {
        Scenario s = ScenarioLoader.parse(FULL, "full.yaml", List.of());
        assertEquals("full.yaml", s.source());
        assertEquals(new Metadata("full", "Every key, once."), s.metadata());
        ScenarioSpec spec = s.spec();
        assertEquals(-7L, spec.seed());
        assertEquals(90_000_000_000L, spec.durationNanos());
        assertEquals(KernelProfile.V4_19, spec.kernel());
        assertTrue(spec.sysctls().isEmpty());
        assertEquals(new KubeProxySpec(true, Optional.of(Cidr.parse("10.244.0.0/16"))), spec.kubeProxy());

        assertEquals(
                List.of(
                        new NodeSpec(
                                "node-a",
                                Ip4.parse("192.168.0.10"),
                                Cidr.parse("10.244.1.0/24"),
                                Sysctls.defaults(KernelProfile.V4_19),
                                true),
                        new NodeSpec(
                                "node-b",
                                Ip4.parse("192.168.0.11"),
                                Cidr.parse("10.244.2.0/24"),
                                Sysctls.defaults(KernelProfile.V4_19),
                                true)),
                spec.nodes());
        assertEquals(
                List.of(
                        new PodSpec(
                                "client",
                                "node-a",
                                Ip4.parse("10.244.1.2"),
                                TcpConfig.linux()
                                        .withMss(1400)
                                        .withSack(false)
                                        .withWindowScale(-1)
                                        .withFixedReceiveBuffer(64 * 1024)
                                        .withSendBuffer(16 * 1024)),
                        new PodSpec("server", "node-b", Ip4.parse("10.244.2.2"), TcpConfig.linux()),
                        new PodSpec("boom", "node-b", Ip4.parse("10.244.2.3"), TcpConfig.linux())),
                spec.pods());
        assertEquals(
                List.of(
                        new ServiceSpec(
                                "web",
                                "files",
                                Ip4.parse("10.96.0.10"),
                                List.of(
                                        new ServicePortSpec("http", 80, 8080, Protocol.TCP),
                                        new ServicePortSpec("dns", 53, 53, Protocol.UDP)),
                                List.of("server")),
                        new ServiceSpec(
                                "default",
                                "boom",
                                Ip4.parse("10.96.0.11"),
                                List.of(new ServicePortSpec("", 9000, 9000, Protocol.TCP)),
                                List.of("boom"))),
                spec.services());

        assertEquals(
                List.of(
                        new LinkSpec(
                                "node-a",
                                "node-b",
                                LinkScope.NODE_TO_NODE,
                                1_000_000,
                                100_000,
                                1_000_000_000L,
                                256 * 1024,
                                0.01,
                                0.005,
                                new ReorderSpec(0.02, 30_000_000)),
                        new LinkSpec(
                                "server",
                                "node-b",
                                LinkScope.POD_TO_NODE,
                                50_000,
                                0,
                                LinkSpec.UNLIMITED,
                                LinkSpec.DEFAULT_QUEUE_BYTES,
                                0,
                                0,
                                ReorderSpec.NONE)),
                spec.links());

        int files = Ip4.parse("10.96.0.10");
        assertEquals(
                List.of(
                        new FileServerSpec("server", 8080, 8L << 20, true),
                        new DownloadClientSpec("client", files, 80, 8L << 20, 20, 4, 250_000_000, 10L * 1024 * 1024),
                        new DownloadClientSpec("client", files, 80, 8L << 20, 1, 1, 0, 100_000_000 / 8),
                        new BoomServerSpec("boom", 9000, BoomServerSpec.DEFAULT_CLOSE_AFTER_NANOS, 100_000),
                        new ConnectLoopSpec(
                                "client", Ip4.parse("10.96.0.11"), 9000, 2_000_000_000L, 2_000_000_000L, 44)),
                spec.workloads());

        assertEquals(
                List.of(
                        new InjectionSpec(
                                3_000_000_000L,
                                "server",
                                "client",
                                0,
                                InjectionKind.ABOVE_UPPER_BOUND,
                                InjectionSpec.AUTO_OFFSET),
                        new InjectionSpec(
                                4_500_000_000L, "server", "client", 2, InjectionKind.BELOW_LOWER_BOUND, 64 * 1024),
                        new InjectionSpec(
                                5_000_000_000L, "boom", "client", 0, InjectionKind.BAD_ACK, InjectionSpec.AUTO_OFFSET)),
                spec.injections());

        assertEquals(
                List.of(
                        new Expectation(Metric.RESETS, Comparison.GE, 1),
                        new Expectation(Metric.COMPLETED, Comparison.EQ, 20),
                        new Expectation(Metric.INVALID, Comparison.GT, 0),
                        new Expectation(Metric.INVALID, Comparison.LE, 100),
                        new Expectation(Metric.INVALID_DROPPED, Comparison.NE, 0),
                        new Expectation(Metric.CONNECTIONS, Comparison.LT, 50)),
                spec.expectations());
    }

    @Test
    void defaultsApplyWhenKeysAreLeftOut() throws ScenarioException {
        Scenario s = ScenarioLoader.parse(ErrorsTest.BASE, "t.yaml", List.of());
        ScenarioSpec spec = s.spec();
        assertEquals(1L, spec.seed());
        assertEquals(KernelProfile.defaultProfile(), spec.kernel());
        assertEquals(KubeProxySpec.DEFAULT, spec.kubeProxy());
        assertEquals("", s.metadata().description());
        assertEquals(
                new DownloadClientSpec(
                        "client",
                        Ip4.parse("10.96.0.10"),
                        80,
                        FileServerSpec.DEFAULT_FILE_SIZE,
                        1,
                        1,
                        0,
                        DownloadClientSpec.READ_INSTANTLY),
                spec.workloads().get(1));
        assertEquals(
                LinkSpec.perfect("node-a", "node-b", LinkScope.NODE_TO_NODE),
                spec.link("node-a", "node-b", LinkScope.NODE_TO_NODE));
        assertEquals("files", spec.service("default", "files").orElseThrow().name());
        assertFalse(spec.pod("nobody").isPresent());
    }

    @Test
    void recordsAreImmutableAndKeepDocumentOrder() throws ScenarioException {
        ScenarioSpec spec = ScenarioLoader.parse(FULL, "full.yaml", List.of()).spec();
        assertThrows(
                UnsupportedOperationException.class,
                () -> spec.pods().add(spec.pods().get(0)));
        assertThrows(UnsupportedOperationException.class, () -> spec.sysctls().put("x", "y"));
        assertEquals(
                List.of("client", "server", "boom"),
                spec.pods().stream().map(PodSpec::name).toList());
    }

    @Test
    void expectationsTestAndPrintThemselves() {
        Expectation e = new Expectation(Metric.INVALID_DROPPED, Comparison.GE, 2);
        assertTrue(e.test(2));
        assertTrue(e.test(3));
        assertFalse(e.test(1));
        assertEquals("invalidDropped >= 2", e.toString());
        assertTrue(new Expectation(Metric.RESETS, Comparison.EQ, 0).test(0));
        assertFalse(new Expectation(Metric.RESETS, Comparison.NE, 0).test(0));
        assertTrue(new Expectation(Metric.RESETS, Comparison.LT, 1).test(0));
        assertFalse(new Expectation(Metric.RESETS, Comparison.GT, 1).test(1));
        assertTrue(new Expectation(Metric.RESETS, Comparison.LE, 1).test(1));
    }
}
