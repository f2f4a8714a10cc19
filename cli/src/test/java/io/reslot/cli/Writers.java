package io.reslot.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;

/**
 * The client traffic of the fault trials: a few threads {@code INCR} counters through a cluster client of their own
 * (following MOVED and ASK as applications do), each thread its own counters, throttled, and bounded in operations
 * and time so that a stuck test cannot load the machine for ever. Each thread counts, per counter, the increments
 * Redis acknowledged and the attempts that failed or timed out (an attempt that timed out may still have been
 * applied). So after the trial a counter must hold at least its acknowledged increments and at most those plus its
 * failed attempts; less is a lost write.
 */
final class Writers implements AutoCloseable {

    /** Each write waits this long for its reply: a paused or dead node must not stall the traffic to the others. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);
    /** The pause between writes of a thread: about 1,000 writes per second per thread, well under the machine's. */
    private static final long PAUSE_NANOS = 1_000_000;
    private static final long MAX_WRITES_PER_THREAD = 600_000;
    private static final Duration MAX_RUN = Duration.ofMinutes(5);

    private final RedisClusterClient client;
    private final ExecutorService pool;
    private final List<Future<Tally>> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final int counters;

    /**
     * Starts {@code threads} writers over {@code counters} counters named by {@code name}; each counter must exist
     * (or be absent, counting as 0) and be written by nobody else.
     */
    Writers(LocalCluster cluster, int counters, int threads, IntFunction<String> name) {
        this.counters = counters;
        List<RedisURI> seeds = cluster.masters().stream().filter(n -> n.state() == ClusterNode.State.RUNNING)
                .map(ClusterNode::uri).toList();
        client = RedisClusterClient.create(seeds);
        client.setOptions(ClusterClientOptions.builder().timeoutOptions(TimeoutOptions.enabled(WRITE_TIMEOUT))
                .build());
        pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            this.threads.add(pool.submit(() -> write(thread, threads, name)));
        }
    }

    private Tally write(int thread, int threads, IntFunction<String> name) throws InterruptedException {
        Tally tally = new Tally(new long[counters], new long[counters]);
        Random random = new Random(thread);
        int own = (counters - thread + threads - 1) / threads; // counters thread, thread + threads, ...
        long deadline = System.nanoTime() + MAX_RUN.toNanos();
        StatefulRedisClusterConnection<String, String> c = null;
        for (long n = 0; n < MAX_WRITES_PER_THREAD && running.get() && System.nanoTime() < deadline; n++) {
            int counter = thread + threads * random.nextInt(own);
            try {
                if (c == null) {
                    c = client.connect();
                }
                c.sync().incr(name.apply(counter));
                tally.acknowledged[counter]++;
                TimeUnit.NANOSECONDS.sleep(PAUSE_NANOS);
            } catch (RuntimeException e) {
                // refused, timed out or the connection failed: perhaps applied, perhaps not
                tally.failed[counter]++;
                Thread.sleep(50);
            }
        }
        if (c != null) {
            c.close();
        }
        return tally;
    }

    /** Stops the writers (waiting for their last write) and adds up what each counted. */
    Tally stop() throws Exception {
        running.set(false);
        Tally total = new Tally(new long[counters], new long[counters]);
        for (Future<Tally> thread : threads) {
            Tally tally = thread.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < counters; i++) {
                total.acknowledged[i] += tally.acknowledged[i];
                total.failed[i] += tally.failed[i];
            }
        }
        return total;
    }

    @Override
    public void close() {
        running.set(false);
        pool.shutdownNow();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
    }

    /** Per counter: increments acknowledged, and attempts that failed (applied or not, nobody knows). */
    record Tally(long[] acknowledged, long[] failed) {

        /**
         * Reads every counter (the sum of its names: a retag leaves the writes made after a key moved under the old
         * name) and compares it with what was acknowledged.
         *
         * @param names        counter → the names it may be found under
         * @param onDeadMaster whether a name lived on a master that was killed and replaced by its replica, whose
         *                     acknowledged writes may not have reached the replica (asynchronous replication)
         */
        Counted count(LocalCluster cluster, IntFunction<List<String>> names, Predicate<String> onDeadMaster) {
            long lost = 0;
            long lostToFailover = 0;
            long beyond = 0;
            try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
                for (int i = 0; i < acknowledged.length; i++) {
                    long value = 0;
                    boolean dead = false;
                    for (String name : names.apply(i)) {
                        String text = c.sync().get(name);
                        value += text == null ? 0 : Long.parseLong(text);
                        dead |= onDeadMaster.test(name);
                    }
                    if (value < acknowledged[i]) {
                        if (dead) {
                            lostToFailover += acknowledged[i] - value;
                        } else {
                            lost += acknowledged[i] - value;
                        }
                    } else if (value > acknowledged[i] + failed[i]) {
                        beyond += value - acknowledged[i] - failed[i];
                    }
                }
            }
            return new Counted(writes(), failures(), lost, lostToFailover, beyond);
        }

        long writes() {
            long sum = 0;
            for (long a : acknowledged) {
                sum += a;
            }
            return sum;
        }

        long failures() {
            long sum = 0;
            for (long f : failed) {
                sum += f;
            }
            return sum;
        }
    }

    /**
     * The counters after a trial.
     *
     * @param acknowledged   increments Redis acknowledged
     * @param failed         attempts that failed or timed out
     * @param lost           acknowledged increments missing from counters on surviving masters: reslot lost them
     * @param lostToFailover acknowledged increments missing from counters of a master that died: asynchronous
     *                       replication lost them
     * @param beyond         increments beyond the acknowledged and failed attempts: applied twice
     */
    record Counted(long acknowledged, long failed, long lost, long lostToFailover, long beyond) {
    }
}
