package io.kpsim.cli;

import io.kpsim.report.RunObserver;
import io.kpsim.report.RunReport;
import io.kpsim.report.html.FixVariant;
import io.kpsim.report.html.LadderRecorder;
import io.kpsim.report.html.Page;
import io.kpsim.report.html.PageBuilder;
import io.kpsim.scenario.Scenario;
import io.kpsim.scenario.ScenarioException;
import io.kpsim.scenario.ScenarioLoader;
import io.kpsim.scenario.ScenarioRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kpsim run --html FILE}, {@code --svg DIR} and {@code --compare-fixes}: the run's pictures.
 * The main run is recorded by a {@link LadderRecorder} beside the text story; "compare fixes" runs
 * the scenario again, same seed, with no fix, with {@code nf_conntrack_tcp_be_liberal=1} and with
 * KUBE-FORWARD's INVALID drop, each recorder following the packet the no-fix run is about.
 */
final class PictureOutput implements Binding.Fields {

    /** A fix for "compare fixes": its label, the setting in the kernel's words, and the overrides. */
    private record Fix(String label, String setting, List<String> overrides) {}

    private static final List<Fix> FIXES = List.of(
            new Fix(
                    "no fix",
                    "nf_conntrack_tcp_be_liberal=0, no INVALID drop",
                    List.of(
                            "spec.sysctls.net.netfilter.nf_conntrack_tcp_be_liberal=0",
                            "spec.kubeProxy.dropInvalid=false")),
            new Fix(
                    "be_liberal",
                    "net.netfilter.nf_conntrack_tcp_be_liberal=1",
                    List.of(
                            "spec.sysctls.net.netfilter.nf_conntrack_tcp_be_liberal=1",
                            "spec.kubeProxy.dropInvalid=false")),
            new Fix(
                    "INVALID drop",
                    "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP",
                    List.of(
                            "spec.sysctls.net.netfilter.nf_conntrack_tcp_be_liberal=0",
                            "spec.kubeProxy.dropInvalid=true")));

    /** {@code --html FILE} and {@code --svg DIR}. */
    final PictureTargets targets = new PictureTargets();

    /** {@code --compare-fixes}. */
    boolean compareFixes;

    /** These options as a picocli mixin bound to this object's fields (see {@link CommandModel}). */
    CommandSpec mixin() {
        CommandSpec mixin = CommandSpec.wrapWithoutInspection(this);
        mixin.addMixin("targets", targets.mixin());
        mixin.addOption(CommandModel.option("compareFixes", boolean.class, this, "--compare-fixes")
                .description("With --html or --svg: run the scenario twice more with the same seed (be_liberal, and"
                        + " the INVALID drop) and show the same packet under no fix and each fix side by side.")
                .build());
        return mixin;
    }

    @Override
    public Object get(String field) {
        if (!field.equals("compareFixes")) {
            throw Binding.noSuchField(this, field);
        }
        return compareFixes;
    }

    @Override
    public void set(String field, Object value) {
        if (!field.equals("compareFixes")) {
            throw Binding.noSuchField(this, field);
        }
        compareFixes = (Boolean) value;
    }

    /** Whether any picture was asked for. */
    boolean wanted() {
        return targets.wanted();
    }

    /**
     * Refuses targets that cannot be written before the run starts, so a long run is not wasted.
     *
     * @throws UserError naming the option and the path
     */
    void check() {
        if (compareFixes && !wanted()) {
            throw new UserError("--compare-fixes: needs --html FILE or --svg DIR to show the comparison");
        }
        targets.check();
    }

    /** The recorder for the main run, or {@code null} when no picture was asked for. */
    LadderRecorder recorder(RunObserver observer) {
        return wanted() ? LadderRecorder.of(observer) : null;
    }

    /**
     * Builds the page (running the fix variants first when asked) and writes the files.
     *
     * @param path the scenario file, loaded again for each fix
     * @param overrides the user's overrides, applied before each fix's own
     * @return the files written, for the closing line
     * @throws UserError when a file cannot be written
     */
    List<Path> write(Path path, List<String> overrides, RunReport report, LadderRecorder recorder) {
        Page page = PageBuilder.build(report, recorder);
        if (compareFixes) {
            page = page.withCompare(variants(path, overrides, report, recorder));
        }
        return targets.write(page);
    }

    private static List<FixVariant> variants(
            Path path, List<String> overrides, RunReport main, LadderRecorder mainRecorder) {
        List<FixVariant> out = new ArrayList<>();
        long anchor = -1;
        for (Fix fix : FIXES) {
            if (out.isEmpty() && !main.context().beLiberal() && !main.context().dropInvalid()) {
                // The main run is the no-fix run: use it rather than running it again.
                anchor = mainRecorder.anchorPacketId();
                out.add(PageBuilder.variant(fix.label(), fix.setting(), main, mainRecorder));
                continue;
            }
            List<String> all = new ArrayList<>(overrides);
            all.addAll(fix.overrides());
            Scenario s;
            try {
                s = ScenarioLoader.load(path, all);
            } catch (ScenarioException e) {
                throw new IllegalStateException(
                        "--compare-fixes: the scenario loaded once but not with " + fix.overrides() + ": "
                                + e.getMessage(),
                        e);
            }
            RunObserver observer = new RunObserver();
            LadderRecorder recorder = new LadderRecorder(observer::storyPackets, true, anchor);
            RunReport report = ScenarioRun.run(
                    s, new ScenarioRun.Options(true, null, false, null), null, observer, List.of(recorder));
            if (anchor < 0) {
                anchor = recorder.anchorPacketId();
            }
            out.add(PageBuilder.variant(fix.label(), fix.setting(), report, recorder));
        }
        return out;
    }
}
