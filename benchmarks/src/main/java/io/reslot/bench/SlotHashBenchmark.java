package io.reslot.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.SlotHash;
import io.reslot.slot.KeySlot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Key → slot, reslot against the slot functions of Lettuce and Jedis, in one run on the same keys.
 *
 * <p>Each single-key benchmark hashes one key per invocation, walking round a set of 1024 keys
 * ({@link BenchmarkKeys}) so that neither the branch predictor nor the JIT sees one key over and over. The walk
 * costs the same for every implementation. {@code reslotBatch} hashes the whole set with one
 * {@link KeySlot#fill(byte[][], int[])} call and reports the time per key. Run with the GC profiler to see
 * allocation per key ({@code gc.alloc.rate.norm}): reslot's single-key paths allocate nothing, Lettuce's and
 * Jedis's string paths encode the key into a new array first.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SlotHashBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SlotHashBenchmark {

    @Param({"ASCII", "UTF8", "LONG256", "ASCII20"})
    public BenchmarkKeys keys;

    private String[] strings;
    private byte[][] bytes;
    private ByteBuffer[] heapBuffers;
    private ByteBuffer[] directBuffers;
    private int[] slots;
    private int next;

    @Setup
    public void setUp() {
        strings = keys.strings();
        bytes = keys.bytes();
        heapBuffers = keys.buffers(false);
        directBuffers = keys.buffers(true);
        slots = new int[BenchmarkKeys.COUNT];
    }

    /** The index of the next key: a round walk over the set. */
    private int index() {
        return next = (next + 1) & (BenchmarkKeys.COUNT - 1);
    }

    @Benchmark
    public int reslotString() {
        return KeySlot.of(strings[index()]);
    }

    @Benchmark
    public int reslotBytes() {
        return KeySlot.of(bytes[index()]);
    }

    @Benchmark
    public int reslotHeapBuffer() {
        return KeySlot.of(heapBuffers[index()]);
    }

    @Benchmark
    public int reslotDirectBuffer() {
        return KeySlot.of(directBuffers[index()]);
    }

    @Benchmark
    @OperationsPerInvocation(BenchmarkKeys.COUNT)
    public int[] reslotBatch() {
        return KeySlot.fill(bytes, slots);
    }

    @Benchmark
    public int lettuceString() {
        return SlotHash.getSlot(strings[index()]);
    }

    @Benchmark
    public int lettuceBytes() {
        return SlotHash.getSlot(bytes[index()]);
    }

    @Benchmark
    public int lettuceHeapBuffer() {
        return SlotHash.getSlot(heapBuffers[index()]);
    }

    @Benchmark
    public int lettuceDirectBuffer() {
        return SlotHash.getSlot(directBuffers[index()]);
    }

    @Benchmark
    public int jedisString() {
        return JedisClusterCRC16.getSlot(strings[index()]);
    }

    @Benchmark
    public int jedisBytes() {
        return JedisClusterCRC16.getSlot(bytes[index()]);
    }
}
