/**
 * JMH benchmarks of kpsim's hot paths, each against the designs a Java or kernel programmer would
 * otherwise reach for: {@code java.util.HashMap} with a record key, a kernel-style chained table
 * ({@link io.kpsim.bench.ChainedConnTable}), and fastutil ({@link io.kpsim.bench.FastutilConnTable}).
 * Keys are generated once per trial from a fixed seed; benchmark methods cycle through them with a
 * mask and contain no loops of their own. Run from {@code benchmarks/target/benchmarks.jar}.
 */
package io.kpsim.bench;
