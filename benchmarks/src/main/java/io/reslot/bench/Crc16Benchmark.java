package io.reslot.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.reslot.slot.Crc16;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Which CRC-16 table variant {@link Crc16} should use: the shipped one (slice-by-8, flat {@code int[]}) against
 * byte-at-a-time, slice-by-4, slice-by-8 over {@code char[]} tables and slice-by-16, on random byte strings of the
 * lengths Redis keys have. Each invocation hashes one of 256 inputs of the given length, in turn.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar Crc16Benchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Crc16Benchmark {

    private static final int INPUTS = 256;

    @Param({"10", "20", "40", "64", "256"})
    public int length;

    private byte[][] inputs;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(length);
        inputs = new byte[INPUTS][length];
        for (byte[] input : inputs) {
            random.nextBytes(input);
        }
    }

    private byte[] input() {
        return inputs[next = (next + 1) & (INPUTS - 1)];
    }

    @Benchmark
    public int shippedSliceBy8() {
        byte[] in = input();
        return Crc16.of(in, 0, in.length);
    }

    @Benchmark
    public int byteAtATime() {
        byte[] in = input();
        return Crc16Variants.byteAtATime(in, 0, in.length);
    }

    @Benchmark
    public int sliceBy4() {
        byte[] in = input();
        return Crc16Variants.sliceBy4(in, 0, in.length);
    }

    @Benchmark
    public int sliceBy8Chars() {
        byte[] in = input();
        return Crc16Variants.sliceBy8Chars(in, 0, in.length);
    }

    @Benchmark
    public int sliceBy16() {
        byte[] in = input();
        return Crc16Variants.sliceBy16(in, 0, in.length);
    }
}
