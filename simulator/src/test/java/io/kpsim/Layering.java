package io.kpsim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The package rules of DESIGN.md as ArchUnit rules over any root package, so that
 * {@link ArchitectureTest} applies them to kpsim and {@link LayeringRulesTest} proves, on a small
 * set of fixture classes, that each of them fails when it should.
 *
 * <p>A layer is a top-level package under the root <em>with all its sub-packages</em>
 * ({@code io.kpsim.netfilter..}): a new {@code netfilter.iptables} or {@code report.html} is held
 * to its parent's rules without anyone declaring it. A new top-level package is not in any layer,
 * and {@link #layers()} fails until someone gives it a place (what it may use, who may use it).
 *
 * @param root the root package, e.g. {@code io.kpsim}
 * @param mayUse each top-level package (relative to the root) and the top-level packages it may
 *     depend on; a package may always depend on itself and its own sub-packages
 */
record Layering(String root, Map<String, Set<String>> mayUse) {

    Layering {
        mayUse = Collections.unmodifiableMap(new LinkedHashMap<>(mayUse));
        for (Map.Entry<String, Set<String>> e : mayUse.entrySet()) {
            for (String used : e.getValue()) {
                if (!mayUse.containsKey(used)) {
                    throw new IllegalArgumentException(e.getKey() + " may use " + used + ", which is not a layer");
                }
            }
        }
    }

    /** The top-level packages under the root that hold at least one of {@code classes}, sorted. */
    Set<String> packagesIn(JavaClasses classes) {
        Set<String> found = new TreeSet<>();
        String prefix = root + ".";
        for (JavaClass c : classes) {
            String pkg = c.getPackageName();
            if (pkg.equals(root)) {
                found.add("");
            } else if (pkg.startsWith(prefix)) {
                String rest = pkg.substring(prefix.length());
                int dot = rest.indexOf('.');
                found.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return found;
    }

    /**
     * Differences between the packages the code has and the layers declared: empty when every
     * top-level package in {@code classes} has a layer and every layer has code.
     */
    List<String> undeclaredOrEmpty(JavaClasses classes) {
        Set<String> found = packagesIn(classes);
        List<String> problems = new ArrayList<>();
        for (String pkg : found) {
            if (!mayUse.containsKey(pkg)) {
                problems.add((pkg.isEmpty() ? "classes directly in " + root : root + "." + pkg)
                        + " has no layer: declare what it may use");
            }
        }
        for (String pkg : mayUse.keySet()) {
            if (!found.contains(pkg)) {
                problems.add("layer " + root + "." + pkg + " has no classes: remove it");
            }
        }
        return problems;
    }

    /**
     * Dependencies point down only: each layer may use the layers it declares and nothing else
     * under the root; every class under the root belongs to a layer; no layer is empty.
     */
    ArchRule layers() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String pkg : mayUse.keySet()) {
            rule = rule.layer(pkg).definedBy(root + "." + pkg + "..");
        }
        for (Map.Entry<String, Set<String>> e : mayUse.entrySet()) {
            rule = e.getValue().isEmpty()
                    ? rule.whereLayer(e.getKey()).mayNotAccessAnyLayer()
                    : rule.whereLayer(e.getKey())
                            .mayOnlyAccessLayers(new TreeSet<>(e.getValue()).toArray(String[]::new));
        }
        return rule.ensureAllClassesAreContainedInArchitecture()
                .because("DESIGN.md: dependencies point down only, and a sub-package keeps its parent's place");
    }

    /**
     * No package, top-level or nested, takes part in a dependency cycle: a sub-package and its
     * parent, or two sibling sub-packages, depend on each other one way only.
     */
    ArchRule noCycles() {
        return slices().matching(root + ".(**)")
                .should()
                .beFreeOfCycles()
                .because("a cycle makes two packages one package in all but name");
    }

    /**
     * Only the given top-level packages (and their sub-packages) may depend on {@code library}
     * (an ArchUnit package identifier such as {@code com.sun.jna..}).
     */
    ArchRule onlyUse(String library, String why, String... packages) {
        String[] owners = new String[packages.length];
        for (int i = 0; i < packages.length; i++) {
            owners[i] = root + "." + packages[i] + "..";
        }
        return noClasses()
                .that()
                .resideOutsideOfPackages(owners)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(library)
                .because(why);
    }

    /** The declared layers in an order where every package comes after all it may use. */
    List<String> bottomUp() {
        List<String> order = new ArrayList<>();
        Set<String> placed = new TreeSet<>();
        while (order.size() < mayUse.size()) {
            boolean progress = false;
            for (Map.Entry<String, Set<String>> e : mayUse.entrySet()) {
                if (!placed.contains(e.getKey()) && placed.containsAll(e.getValue())) {
                    order.add(e.getKey());
                    placed.add(e.getKey());
                    progress = true;
                }
            }
            if (!progress) {
                Set<String> stuck = new TreeSet<>(mayUse.keySet());
                stuck.removeAll(placed);
                throw new IllegalStateException("the declared layers form a cycle among " + stuck);
            }
        }
        return order;
    }
}
