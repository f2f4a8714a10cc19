/**
 * JMH benchmarks that measure reslot side by side with the alternatives, in one run on the same inputs:
 * {@link io.reslot.bench.SlotHashBenchmark} (key → slot against Lettuce and Jedis) and
 * {@link io.reslot.bench.Crc16Benchmark} (the CRC-16 table variant behind {@link io.reslot.slot.Crc16}).
 * Build {@code benchmarks/target/benchmarks.jar} and run it; each class says how.
 */
package io.reslot.bench;
