package io.kpsim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package rules of DESIGN.md true of kpsim's production classes: dependencies point down
 * only (a sub-package inherits its parent's place), no package is part of a cycle, and each
 * third-party library is reached from the one package that owns it (JNA and pcap4j's native
 * handles only from {@code pcap} and {@code oracle}).
 *
 * <p>The package list is read from the code: a new top-level package fails
 * {@link #everyPackageHasALayer()} until it is added to {@link #MAY_USE}; a new sub-package
 * ({@code netfilter.iptables}, {@code report.html}) needs nothing, it is held to its parent's
 * rules. {@code archunit.properties} sets {@code failOnEmptyShould}, so a rule that matches no
 * class fails instead of passing vacuously. {@link LayeringRulesTest} shows each rule failing on
 * a violation.
 */
class ArchitectureTest {

    /**
     * What each top-level package may depend on, bottom-up (DESIGN.md, "Packages in simulator/").
     * Sub-packages are covered by their parent's entry.
     */
    static final Map<String, Set<String>> MAY_USE = layers();

    private static Map<String, Set<String>> layers() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put(FAULT, Set.of());
        m.put("engine", Set.of());
        m.put("packet", Set.of());
        m.put("conntrack", Set.of("packet"));
        m.put("netfilter", Set.of("conntrack", "packet"));
        m.put("tcp", Set.of("engine", "packet"));
        m.put("cluster", Set.of("engine", "tcp", "netfilter", "conntrack", "packet"));
        m.put("pcap", Set.of("packet"));
        m.put("replay", Set.of("pcap", "netfilter", "conntrack", "packet"));
        m.put("diagnose", Set.of("replay", "pcap", "netfilter", "conntrack", "packet"));
        m.put("oracle", Set.of("replay", "pcap", "netfilter", "conntrack", "packet"));
        m.put("report", Set.of("cluster", "replay", "pcap", "tcp", "netfilter", "conntrack", "packet", "engine"));
        m.put("scenario", Set.of("report", "cluster", "tcp", "netfilter", "conntrack", "packet", "engine"));
        m.put(
                "cli",
                Set.of(
                        "scenario",
                        "report",
                        "diagnose",
                        "oracle",
                        "replay",
                        "pcap",
                        "cluster",
                        "tcp",
                        "netfilter",
                        "conntrack",
                        "packet",
                        "engine"));
        // fault is the shared bottom: the line between the user's mistakes and kpsim's bugs.
        m.replaceAll((pkg, uses) -> pkg.equals(FAULT) ? uses : union(uses, FAULT));
        return m;
    }

    /** The package every other package may use and that uses none. */
    private static final String FAULT = "fault";

    private static Set<String> union(Set<String> uses, String extra) {
        java.util.Set<String> all = new java.util.HashSet<>(uses);
        all.add(extra);
        return Set.copyOf(all);
    }

    static final Layering KPSIM = new Layering("io.kpsim", MAY_USE);

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.kpsim");
    }

    @Test
    void everyPackageHasALayer() {
        assertEquals(List.of(), KPSIM.undeclaredOrEmpty(classes));
    }

    @Test
    void declaredLayersPointDownOnly() {
        assertEquals(MAY_USE.size(), KPSIM.bottomUp().size());
    }

    @Test
    void dependenciesPointDownOnly() {
        KPSIM.layers().check(classes);
    }

    @Test
    void noPackageIsPartOfACycle() {
        KPSIM.noCycles().check(classes);
    }

    @Test
    void onlyPcapAndOracleTouchNativeCode() {
        KPSIM.onlyUse("com.sun.jna..", "JNA handles and pointers stay behind pcap and oracle", "pcap", "oracle")
                .check(classes);
    }

    @Test
    void onlyPcapImportsPcap4j() {
        KPSIM.onlyUse("org.pcap4j..", "pcap owns libpcap; the oracle reaches it through LiveInterface", "pcap")
                .check(classes);
    }

    @Test
    void onlyCliImportsPicocli() {
        KPSIM.onlyUse("picocli..", "the command line is the only user of picocli", "cli")
                .check(classes);
    }

    @Test
    void onlyScenarioImportsYaml() {
        KPSIM.onlyUse("org.yaml..", "scenario reads YAML and hands on validated records", "scenario")
                .check(classes);
    }
}
