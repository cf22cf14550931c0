package io.kpsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.kpsim.archfixture.cli.Command;
import io.kpsim.archfixture.conntrack.Entry;
import io.kpsim.archfixture.conntrack.NativeTable;
import io.kpsim.archfixture.diagnose.Verdict;
import io.kpsim.archfixture.engine.Clock;
import io.kpsim.archfixture.engine.Wakeup;
import io.kpsim.archfixture.netfilter.Walk;
import io.kpsim.archfixture.netfilter.iptables.Matcher;
import io.kpsim.archfixture.netfilter.iptables.SocketMatch;
import io.kpsim.archfixture.packet.Frame;
import io.kpsim.archfixture.pcap.Handle;
import io.kpsim.archfixture.report.html.Page;
import io.kpsim.archfixture.report.svg.Chart;
import io.kpsim.archfixture.report.svg.ChartLink;
import io.kpsim.archfixture.tcp.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link Layering} evaluated by ArchUnit against the fixture classes of
 * {@code io.kpsim.archfixture}: all pass on the conforming set, and each fails, naming the
 * offending class, when one violating class is added. A rule that cannot fail would guard nothing.
 */
class LayeringRulesTest {

    private static final String ROOT = "io.kpsim.archfixture";

    private static final Layering FIXTURE = new Layering(ROOT, fixtureLayers());

    private static Map<String, Set<String>> fixtureLayers() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("engine", Set.of());
        m.put("packet", Set.of());
        m.put("conntrack", Set.of("packet"));
        m.put("netfilter", Set.of("conntrack", "packet"));
        m.put("tcp", Set.of("engine", "packet"));
        m.put("pcap", Set.of("packet"));
        m.put("report", Set.of("netfilter", "tcp", "conntrack", "packet", "engine"));
        m.put("cli", Set.of("report", "pcap", "tcp", "netfilter", "conntrack", "packet", "engine"));
        return m;
    }

    private static final List<Class<?>> CONFORMING = List.of(
            Clock.class,
            Frame.class,
            Entry.class,
            Walk.class,
            Matcher.class,
            Socket.class,
            Handle.class,
            Page.class,
            Chart.class,
            Command.class);

    private static JavaClasses conformingPlus(Class<?>... extra) {
        List<Class<?>> all = new ArrayList<>(CONFORMING);
        all.addAll(List.of(extra));
        return new ClassFileImporter().importClasses(all);
    }

    private static List<ArchRule> allRules() {
        return List.of(
                FIXTURE.layers(),
                FIXTURE.noCycles(),
                FIXTURE.onlyUse("com.sun.jna..", "native handles stay in pcap", "pcap"));
    }

    private static String violations(ArchRule rule, JavaClasses classes) {
        EvaluationResult result = rule.evaluate(classes);
        assertTrue(result.hasViolation(), "expected a violation of: " + rule.getDescription());
        return String.join("\n", result.getFailureReport().getDetails());
    }

    private static void passes(ArchRule rule, JavaClasses classes) {
        EvaluationResult result = rule.evaluate(classes);
        assertFalse(result.hasViolation(), () -> result.getFailureReport().toString());
    }

    @Test
    void conformingClassesPassEveryRule() {
        JavaClasses classes = conformingPlus();
        assertEquals(List.of(), FIXTURE.undeclaredOrEmpty(classes));
        for (ArchRule rule : allRules()) {
            passes(rule, classes);
        }
    }

    @Test
    void anUpwardDependencyFails() {
        String details = violations(FIXTURE.layers(), conformingPlus(Wakeup.class));
        assertTrue(details.contains(Wakeup.class.getName()) && details.contains(Command.class.getName()), details);
    }

    @Test
    void aSubPackageIsHeldToItsParentsLayer() {
        String details = violations(FIXTURE.layers(), conformingPlus(SocketMatch.class));
        assertTrue(details.contains(SocketMatch.class.getName()) && details.contains(Socket.class.getName()), details);
    }

    @Test
    void aNewTopLevelPackageMustBeGivenALayer() {
        JavaClasses classes = conformingPlus(Verdict.class);
        assertEquals(
                List.of(ROOT + ".diagnose has no layer: declare what it may use"), FIXTURE.undeclaredOrEmpty(classes));
        String details = violations(FIXTURE.layers(), classes);
        assertTrue(details.contains(Verdict.class.getName()), details);
    }

    @Test
    void aLayerWithoutClassesIsReported() {
        List<Class<?>> withoutConntrack = new ArrayList<>(CONFORMING);
        withoutConntrack.remove(Entry.class);
        JavaClasses classes = new ClassFileImporter().importClasses(withoutConntrack);
        assertEquals(
                List.of("layer " + ROOT + ".conntrack has no classes: remove it"), FIXTURE.undeclaredOrEmpty(classes));
        assertTrue(FIXTURE.layers().evaluate(classes).hasViolation());
    }

    @Test
    void aCycleBetweenSiblingSubPackagesFails() {
        JavaClasses classes = conformingPlus(ChartLink.class);
        passes(FIXTURE.layers(), classes);
        String details = violations(FIXTURE.noCycles(), classes);
        assertTrue(details.contains(ChartLink.class.getName()) && details.contains(Page.class.getName()), details);
    }

    @Test
    void nativeHandlesOutsideTheirPackagesFail() {
        String details = violations(
                FIXTURE.onlyUse("com.sun.jna..", "native handles stay in pcap", "pcap"),
                conformingPlus(NativeTable.class));
        assertTrue(details.contains(NativeTable.class.getName()) && details.contains("com.sun.jna.Pointer"), details);
        assertFalse(details.contains(Handle.class.getName()), details);
    }

    @Test
    void declaredLayersThatFormACycleAreRefused() {
        Map<String, Set<String>> cyclic = new LinkedHashMap<>(fixtureLayers());
        cyclic.put("packet", Set.of("cli"));
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new Layering(ROOT, cyclic).bottomUp());
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        assertEquals(fixtureLayers().size(), FIXTURE.bottomUp().size());
    }

    @Test
    void aLayerMayOnlyUseDeclaredLayers() {
        Map<String, Set<String>> unknown = new LinkedHashMap<>(fixtureLayers());
        unknown.put("tcp", Set.of("kernel"));
        assertThrows(IllegalArgumentException.class, () -> new Layering(ROOT, unknown));
    }

    @Test
    void aRuleThatChecksNoClassFails() {
        // archunit.properties: archRule.failOnEmptyShould=true. Without it this rule would pass.
        ArchRule vacuous = FIXTURE.onlyUse(
                "com.sun.jna..",
                "every package is an owner, so no class is left to check",
                "engine",
                "packet",
                "conntrack",
                "netfilter",
                "tcp",
                "pcap",
                "report",
                "cli");
        AssertionError e = assertThrows(AssertionError.class, () -> vacuous.check(conformingPlus()));
        assertTrue(e.getMessage().contains("failed to check any classes"), e.getMessage());
    }
}
