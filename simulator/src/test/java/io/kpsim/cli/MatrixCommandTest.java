package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code kpsim matrix}: the formats, determinism across thread counts, and bad options. */
class MatrixCommandTest {

    private static final String BLOG = Path.of(System.getProperty("kpsim.root", ".."))
            .resolve("scenarios/blog-reset.yaml")
            .toString();

    private static Cli matrix(String... more) {
        String[] args = new String[more.length + 2];
        args[0] = "matrix";
        args[1] = BLOG;
        System.arraycopy(more, 0, args, 2, more.length);
        return Cli.run(args);
    }

    @Test
    void theOutputIsTheSameBytesForAnyNumberOfThreads() {
        String[] grid = {"--kernels", "4.19,6.18", "--kube-proxy-versions", "1.14,1.29", "--format", "json"};
        Cli one = matrix(concat(grid, "--jobs", "1"));
        Cli four = matrix(concat(grid, "--jobs", "4"));
        assertEquals(0, one.exitCode(), one.err());
        assertEquals(one.out(), four.out());
        // iptables 1.14, 1.29 and nftables 1.29, each with be_liberal off and on, on two kernels
        assertEquals(12, one.out().lines().filter(l -> l.startsWith("{")).count(), one.out());
    }

    @Test
    void jsonRowsCarryTheKeysAndVerdicts() {
        Cli cli = matrix(
                "--kernels",
                "4.19",
                "--kube-proxy-versions",
                "1.14,1.15,1.30",
                "--be-liberal",
                "off",
                "--format",
                "json");
        assertEquals(0, cli.exitCode(), cli.err());
        String[] rows = cli.out().lines().filter(l -> l.startsWith("{")).toArray(String[]::new);
        assertEquals(4, rows.length, cli.out()); // iptables 1.14, 1.15, 1.30; nftables 1.30
        assertEquals(
                "{\"scenario\":\"blog-reset\",\"kernel\":\"4.19\",\"proxy_mode\":\"iptables\","
                        + "\"kube_proxy_version\":\"1.14\",\"be_liberal\":false,\"connections\":10,\"completed\":9,"
                        + "\"reset\":1,\"invalid\":386,\"invalid_dropped\":0,\"ignored\":0,\"verdict\":\"exposed\"},",
                rows[0]);
        assertTrue(
                rows[1].contains("\"kube_proxy_version\":\"1.15\"")
                        && rows[1].contains("\"invalid_dropped\":1,")
                        && rows[1].contains("\"verdict\":\"protected: INVALID drop rule\""),
                rows[1]);
        assertTrue(
                rows[3].contains("\"proxy_mode\":\"nftables\"") && rows[3].contains("\"verdict\":\"exposed\""),
                rows[3]);
        assertTrue(cli.out().startsWith("[\n") && cli.out().endsWith("}\n]\n"), cli.out());
    }

    @Test
    void beLiberalProtectsAndCsvHasAHeader() {
        Cli cli = matrix(
                "--kernels", "5.15", "--proxy-modes", "nftables", "--kube-proxy-versions", "1.34", "--format", "csv");
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(
                "scenario,kernel,proxy_mode,kube_proxy_version,be_liberal,connections,completed,reset,invalid,"
                        + "invalid_dropped,ignored,verdict\r\n"
                        + "blog-reset,5.15,nftables,1.34,off,10,9,1,386,0,0,exposed\r\n"
                        + "blog-reset,5.15,nftables,1.34,on,10,10,0,0,0,0,protected: be_liberal\r\n",
                cli.out());
    }

    @Test
    void badOptionsAreOneLineErrorsNamingTheOption() {
        assertBad(matrix("--kernels", "4.19,banana"), "--kernels: unknown kernel 'banana'");
        assertBad(matrix("--proxy-modes", "ipvs"), "--proxy-modes: 'ipvs': expected iptables or nftables");
        assertBad(matrix("--kube-proxy-versions", "1.12"), "--kube-proxy-versions: kube-proxy 1.12 is not modelled");
        assertBad(
                matrix("--proxy-modes", "nftables", "--kube-proxy-versions", "1.20"),
                "no combination to run: nftables mode exists only in kube-proxy 1.29");
        assertBad(matrix("--jobs", "0"), "--jobs 0: expected 1..1024");
        assertBad(matrix("--be-liberal", "maybe"), "--be-liberal");
        Cli missing = Cli.run("matrix", "/nonexistent/x.yaml");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("/nonexistent/x.yaml: no such file"), missing.err());
    }

    private static void assertBad(Cli cli, String message) {
        assertEquals(2, cli.exitCode(), cli.out() + cli.err());
        assertTrue(cli.err().contains(message), cli.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
