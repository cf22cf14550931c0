package io.kpsim.oracle;

import io.kpsim.conntrack.profile.KernelChoice;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.replay.ReplayRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The kernel oracle's entry point: replays captures through a real Linux node namespace and
 * compares what the kernel did with what the model says, record by record.
 *
 * <p>One topology serves the whole run (namespaces are the expensive part); the conntrack table
 * is flushed before each capture, so every file starts from an empty table as in
 * {@code kpsim replay}. The kernel runs on real time: captures' timestamps are ignored, so the
 * captures compared this way must not depend on conntrack timeouts.
 */
public final class Oracle {

    private Oracle() {}

    /**
     * Replays {@code captures} through the kernel and compares each record with {@code model}'s.
     *
     * @param model produces the model's records for one capture (e.g. {@code kpsim replay})
     * @throws io.kpsim.pcap.CaptureException one line: a capture kpsim cannot read
     * @throws OracleException one line: the machine cannot run the oracle (the kernel version
     *     included), a command failed
     */
    public static OracleReport run(OracleConfig config, List<Path> captures, Function<Path, List<ReplayRecord>> model) {
        long start = System.nanoTime();
        Map<Path, List<ReplayRecord>> kernel = kernel(config, captures);
        long millis = (System.nanoTime() - start) / 1_000_000;
        List<RecordComparison> comparisons = new ArrayList<>();
        int packets = 0;
        for (Map.Entry<Path, List<ReplayRecord>> e : kernel.entrySet()) {
            comparisons.addAll(OracleComparison.compare(e.getKey().toString(), e.getValue(), model.apply(e.getKey())));
            for (ReplayRecord r : e.getValue()) {
                packets += r.isSkipped() ? 0 : 1;
            }
        }
        return new OracleReport(comparisons, packets, millis);
    }

    /**
     * The kernel's records for each capture, in argument order (file names as given).
     *
     * @throws io.kpsim.pcap.CaptureException one line: a capture kpsim cannot read
     * @throws OracleException one line: the machine cannot run the oracle (the kernel version
     *     included), a command failed
     */
    public static Map<Path, List<ReplayRecord>> kernel(OracleConfig config, List<Path> captures) {
        // the user's files first: a bad capture is named whatever the machine lacks
        Map<Path, List<CaptureFile.Record>> inputs = new LinkedHashMap<>();
        List<WireIpv4> all = new ArrayList<>();
        for (Path p : captures) {
            List<CaptureFile.Record> records = CaptureFile.read(p);
            inputs.put(p, records);
            for (CaptureFile.Record r : records) {
                if (r.headers() != null) {
                    all.add(r.headers());
                }
            }
        }
        checkKernel(config.kernel());
        String problems = OracleMachineCheck.summary();
        if (problems != null) {
            throw new OracleException(problems);
        }
        AddressPlan plan = new AddressPlan(config.services(), all);
        Map<Path, List<ReplayRecord>> out = new LinkedHashMap<>();
        try (OracleTopology topology = OracleTopology.create(config, plan)) {
            KernelReplayer replayer = new KernelReplayer(topology, plan, config);
            for (Map.Entry<Path, List<CaptureFile.Record>> e : inputs.entrySet()) {
                out.put(e.getKey(), replayer.replay(e.getKey().toString(), e.getValue()));
            }
        }
        return out;
    }

    /**
     * Refuses a profile other than the running kernel's ({@code uname -r} mapped as
     * {@link KernelChoice#resolve} maps it), which is the only one it can verify.
     */
    static void checkKernel(KernelProfile wanted) {
        String running = OracleMachineCheck.kernelRelease();
        KernelProfile runs = OracleMachineCheck.runningProfile();
        if (runs != wanted) {
            throw new OracleException("--kernel " + wanted.label() + ": the oracle can only verify the"
                    + " running kernel (" + running + (runs == null ? ", no profile" : ", profile " + runs.label())
                    + ")" + (runs == null ? "" : "; use --kernel " + runs.label()) + " or compare on a "
                    + wanted.label() + " machine");
        }
    }
}
