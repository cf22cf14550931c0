/**
 * JMH benchmarks of kpsim's hot paths, each against the designs a Java or kernel programmer would
 * otherwise reach for: {@code java.util.HashMap} with a record key, a kernel-style chained table
 * ({@link io.kpsim.bench.ChainedConnTable}), and fastutil ({@link io.kpsim.bench.FastutilConnTable}).
 * Keys are generated once per trial from a fixed seed; the table benchmarks cycle through them with
 * a mask and contain no loops of their own.
 *
 * <p>Two benchmarks measure larger paths: {@link io.kpsim.bench.EstablishedPacketBenchmark} (one
 * established TCP segment through conntrack's allocation-free path, against the record API) and
 * {@link io.kpsim.bench.ReplayThroughputBenchmark} (a whole capture from
 * {@link io.kpsim.bench.ReplayCaptureGenerator} replayed per operation, against the pre-tuning
 * output path). {@link io.kpsim.bench.ReplayRates} reports the replay's rate by CPU time, the figure
 * a shared machine can still measure. Run from {@code benchmarks/target/benchmarks.jar}.
 */
package io.kpsim.bench;
