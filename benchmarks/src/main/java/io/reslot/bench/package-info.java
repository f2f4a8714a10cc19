/**
 * JMH benchmarks that measure reslot side by side with the alternatives, in one run on the same inputs:
 * {@link io.reslot.bench.SlotHashBenchmark} (key → slot against Lettuce and Jedis),
 * {@link io.reslot.bench.Crc16Benchmark} (the CRC-16 table variant behind {@link io.reslot.slot.Crc16}) and
 * {@link io.reslot.bench.PlannerBenchmark} (planning on 3-1000 masters).
 *
 * <p>{@link io.reslot.bench.ReshardBenchmark} is not JMH: a plain main class that runs {@code reslot reshard} and
 * {@code redis-cli --cluster reshard} as external processes on fresh sandbox clusters with the same data, measures
 * wall time and the latency an application client sees meanwhile, and verifies that nothing was lost. Its helpers
 * ({@code Scenario}, {@code Tool}, {@code ToolRun}, {@code LatencyProbe}, {@code ClusterCheck}, {@code ClusterView},
 * {@code Report}, {@code ReshardOptions}) are package-private.
 *
 * <p>Build {@code benchmarks/target/benchmarks.jar} and run it; each class says how.
 */
package io.reslot.bench;
