package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kpsim rules --iptables-save FILE --format iptables-save|json}. The files are what the
 * kernel's {@code iptables-save} (iptables-nft 1.8.9, kernel 6.18) printed after kube-proxy's
 * rules for its packet-flow tests were restored into a network namespace (see
 * {@link io.kpsim.netfilter.KubeProxyTraceCasesTest}; the comment lines with time stamps removed):
 * reading one and printing it again must give it back byte for byte. Every one of the 30 files loads (addrtype
 * {@code --src-type}, SCTP rules and rules without a target included).
 */
class RulesFormatTest {

    @TempDir
    Path dir;

    static Stream<String> dumps() {
        return IntStream.rangeClosed(0, 29).mapToObj(i -> String.format("D%02d", i));
    }

    private Path copy(String name) throws IOException {
        try (InputStream in = RulesFormatTest.class.getResourceAsStream("/trace/kube-proxy/" + name)) {
            Path f = dir.resolve(name);
            Files.write(f, in.readAllBytes());
            return f;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    void restoreThenSaveIsTheKernelsOwnOutput(String dump) throws IOException {
        Path f = copy(dump + ".iptables-save");
        Cli r = Cli.run("rules", "--iptables-save", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Files.readString(f, StandardCharsets.UTF_8), r.out());
    }

    @Test
    void jsonGivesARuleWithoutTargetANullTarget() throws IOException {
        Path f = copy("D02.iptables-save");
        Cli r = Cli.run("rules", "--iptables-save", f.toString(), "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(
                r.out()
                        .contains("\"save\":\"-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment \\\"other traffic to"
                                + " ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL\\\"\",\"matches\":[\"-m comment"
                                + " --comment \\\"other traffic to ns1/svc1:p80 will be dropped by"
                                + " KUBE-PROXY-FIREWALL\\\"\"],\"target\":null}"),
                r.out());
    }

    @Test
    void jsonListsChainsRulesConditionsAndTargets() throws IOException {
        Path f = copy("D00.iptables-save");
        Cli r = Cli.run("rules", "--iptables-save", f.toString(), "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        String j = r.out();
        assertTrue(
                j.startsWith("{\"tables\":[{\"table\":\"filter\",\"chains\":[{\"chain\":\"INPUT\",\"policy\":"
                        + "\"ACCEPT\",\"rules\":[{\"number\":1,\"save\":\"-A INPUT -j KUBE-FIREWALL\",\"matches\":[],"
                        + "\"target\":\"-j KUBE-FIREWALL\"}"),
                j);
        assertTrue(j.contains("{\"chain\":\"KUBE-SERVICES\",\"policy\":null,\"rules\":[{\"number\":1,"), j);
        assertTrue(
                j.contains("\"matches\":[\"-d 172.30.0.41/32\",\"-p tcp\",\"-m comment --comment"
                        + " \\\"ns1/svc1:p80 has no endpoints\\\"\",\"-m tcp --dport 80\"],"
                        + "\"target\":\"-j REJECT --reject-with icmp-port-unreachable\"}"),
                j);
        assertTrue(j.endsWith("]}]}]}\n"), j);
    }

    @Test
    void badFormatAndMixedInputsAreOneLineErrors() throws IOException {
        Path f = copy("D00.iptables-save");
        Cli r = Cli.run("rules", "--iptables-save", f.toString(), "--format", "yaml");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertEquals("kpsim: --format 'yaml': expected iptables-save or json", r.errLines()[0]);
        r = Cli.run("rules", "../scenarios/blog-reset.yaml", "--iptables-save", f.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertEquals("kpsim: give either SCENARIO.yaml or --iptables-save FILE, not both", r.errLines()[0]);
        r = Cli.run("rules", "--iptables-save", dir.resolve("none").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertEquals("kpsim: --iptables-save " + dir.resolve("none") + ": no such file", r.errLines()[0]);
    }

    @Test
    void aScenarioNodesRulesAsJson() {
        Cli r = Cli.run("rules", "../scenarios/blog-reset.yaml", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(
                r.out()
                        .contains(
                                "\"save\":\"-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment"
                                        + " \\\"default/files:http cluster IP\\\" -m tcp --dport 80 -j KUBE-SVC-EYEPV5F232DQWPHT\""),
                r.out());
    }
}
