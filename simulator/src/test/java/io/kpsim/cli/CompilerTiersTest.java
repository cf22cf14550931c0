package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.RunEstimate;
import io.kpsim.scenario.ScenarioLoader;
import io.kpsim.scenario.ScenarioRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where {@link CompilerTiers} cuts between short and long runs, on the workloads it was measured
 * on (src/docs/benchmarks.md, section 7): the blog scenario and the tiny exchange end on C1's code,
 * 100 downloads get C2 back, and so does a run whose size is not known.
 */
class CompilerTiersTest {

    private static RunEstimate estimate(String file, boolean narrated) throws Exception {
        Path path = RunCommandTest.root().resolve(file);
        return ScenarioRun.estimate(ScenarioLoader.load(path, List.of()), narrated);
    }

    @Test
    void shortRunsKeepC1AndLongOnesGetC2() throws Exception {
        for (boolean narrated : new boolean[] {false, true}) {
            assertFalse(CompilerTiers.wantsC2(estimate("scenarios/blog-reset.yaml", narrated)));
            assertFalse(CompilerTiers.wantsC2(estimate("benchmarks/scenarios/bench-tiny-exchange.yaml", narrated)));
            assertTrue(CompilerTiers.wantsC2(estimate("benchmarks/scenarios/bench-100-downloads.yaml", narrated)));
            assertTrue(CompilerTiers.wantsC2(estimate("benchmarks/scenarios/bench-1000-downloads.yaml", narrated)));
        }
        assertTrue(CompilerTiers.wantsC2(null), "a run without an estimate counts as long");
    }

    @Test
    void theCutIsInPacketsAtTheDocumentedSize() {
        RunEstimate below = new RunEstimate(CompilerTiers.LONG_RUN_PACKETS - 1, 0, 1, 1, 1, 0, 0, Map.of());
        RunEstimate at = new RunEstimate(CompilerTiers.LONG_RUN_PACKETS, 0, 1, 1, 1, 0, 0, Map.of());
        assertFalse(CompilerTiers.wantsC2(below));
        assertTrue(CompilerTiers.wantsC2(at));
    }
}
