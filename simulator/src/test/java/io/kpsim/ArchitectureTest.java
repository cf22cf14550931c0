package io.kpsim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package rules of DESIGN.md true: dependencies point down only, and each third-party
 * library is imported by exactly one package.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.kpsim");
    }

    /** The bottom every package may use: the line between the user's faults and kpsim's bugs. */
    private static final String SHARED_BOTTOM = "fault";

    private static void onlyMayUse(String pkg, String... allowed) {
        String[] forbidden = java.util.Arrays.stream(ALL)
                .filter(p -> !p.equals(pkg) && !p.equals(SHARED_BOTTOM))
                .filter(p -> !java.util.Arrays.asList(allowed).contains(p))
                .map(p -> "io.kpsim." + p + "..")
                .toArray(String[]::new);
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("io.kpsim." + pkg + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden)
                .because("DESIGN.md: " + pkg + " may only depend on " + String.join(", ", allowed));
        rule.check(classes);
    }

    private static final String[] ALL = {
        "fault",
        "engine",
        "packet",
        "conntrack",
        "netfilter",
        "tcp",
        "cluster",
        "pcap",
        "replay",
        "oracle",
        "report",
        "scenario",
        "cli"
    };

    @Test
    void faultDependsOnNothing() {
        noClasses()
                .that()
                .resideInAPackage("io.kpsim.fault..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(java.util.Arrays.stream(ALL)
                        .filter(p -> !p.equals(SHARED_BOTTOM))
                        .map(p -> "io.kpsim." + p + "..")
                        .toArray(String[]::new))
                .check(classes);
    }

    @Test
    void engineDependsOnNothing() {
        onlyMayUse("engine");
    }

    @Test
    void packetDependsOnNothing() {
        onlyMayUse("packet");
    }

    @Test
    void conntrackKnowsOnlyPackets() {
        onlyMayUse("conntrack", "packet");
    }

    @Test
    void netfilterKnowsNothingOfPodsOrTime() {
        onlyMayUse("netfilter", "conntrack", "packet");
    }

    @Test
    void tcpIsAnEndpointStack() {
        onlyMayUse("tcp", "engine", "packet");
    }

    @Test
    void clusterWiresTheModel() {
        onlyMayUse("cluster", "engine", "tcp", "netfilter", "conntrack", "packet");
    }

    @Test
    void pcapKnowsOnlyPackets() {
        onlyMayUse("pcap", "packet");
    }

    @Test
    void replayRunsCapturesThroughANode() {
        onlyMayUse("replay", "pcap", "netfilter", "conntrack", "packet");
    }

    @Test
    void oracleComparesKernelAndModel() {
        onlyMayUse("oracle", "replay", "pcap", "netfilter", "conntrack", "packet");
    }

    @Test
    void reportReadsTheModel() {
        onlyMayUse("report", "cluster", "replay", "pcap", "tcp", "netfilter", "conntrack", "packet", "engine");
    }

    @Test
    void scenarioBuildsTheModel() {
        onlyMayUse("scenario", "report", "cluster", "tcp", "netfilter", "conntrack", "packet", "engine");
    }

    @Test
    void onlyPcapImportsPcap4j() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.kpsim.pcap..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.pcap4j..")
                .check(classes);
    }

    @Test
    void onlyCliImportsPicocli() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.kpsim.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("picocli..")
                .check(classes);
    }

    @Test
    void onlyScenarioImportsYaml() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.kpsim.scenario..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.yaml..")
                .check(classes);
    }
}
