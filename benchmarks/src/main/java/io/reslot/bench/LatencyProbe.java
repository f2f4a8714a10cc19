package io.reslot.bench;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An application client during a reshard: one thread with its own Lettuce cluster connection that alternately
 * {@code SET}s and {@code GET}s keys of the slots being moved, at a fixed rate, and records each operation's latency
 * (from sending to the reply, in microseconds) in an HdrHistogram. It stops by itself after {@code maxOps} operations
 * or {@code maxDuration}, whichever comes first, or when {@link #stop()} is called.
 *
 * <p>Every {@code SET} writes a value that starts with {@code p<sequence>:} (padded to the scenario's value size);
 * the probe remembers, per key, the sequence of the last write Redis acknowledged. {@link #lostWrites()} reads every
 * written key afterwards: a key whose value is missing or carries an older sequence lost an acknowledged write. A
 * {@code GET} that returns an older sequence than the last acknowledged write counts as a stale read.
 *
 * <p>The rate is fixed (not as fast as possible) so that the probe takes the same share of this small machine's CPU
 * whatever the tool; latency is service time, not corrected for coordinated omission.
 */
final class LatencyProbe implements Runnable {
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final StatefulRedisClusterConnection<String, String> connection;
    private final String[] keys;
    private final long[] lastAcknowledged;
    private final int valueSize;
    private final long intervalNanos;
    private final long maxOps;
    private final long maxNanos;
    private final Histogram latencyMicros = new Histogram(MAX_MICROS, 3);
    private final Thread thread;
    private volatile boolean stopped;
    private long ops;
    private long errors;
    private long acknowledgedWrites;
    private long staleReads;
    private String firstError;

    private LatencyProbe(RedisClusterClient client, List<String> keys, int valueSize, int opsPerSecond,
                         Duration maxDuration) {
        this.connection = client.connect();
        this.connection.setTimeout(COMMAND_TIMEOUT);
        this.keys = keys.toArray(new String[0]);
        this.lastAcknowledged = new long[this.keys.length];
        Arrays.fill(lastAcknowledged, -1);
        this.valueSize = valueSize;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / opsPerSecond;
        this.maxNanos = maxDuration.toNanos();
        this.maxOps = Math.max(1, maxDuration.toSeconds() * opsPerSecond);
        this.thread = new Thread(this, "reshard-latency-probe");
        this.thread.setDaemon(true);
    }

    /**
     * Connects and starts the probe thread.
     *
     * @param keys         keys to work on, all loaded beforehand; at least one
     * @param opsPerSecond target rate
     * @param maxDuration  the probe stops by itself after this long
     */
    static LatencyProbe start(RedisClusterClient client, List<String> keys, int valueSize, int opsPerSecond,
                              Duration maxDuration) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the latency probe needs at least one key");
        }
        LatencyProbe probe = new LatencyProbe(client, keys, valueSize, opsPerSecond, maxDuration);
        probe.thread.start();
        return probe;
    }

    @Override
    public void run() {
        RedisAdvancedClusterCommands<String, String> redis = connection.sync();
        long start = System.nanoTime();
        while (!stopped && ops < maxOps && System.nanoTime() - start < maxNanos) {
            long due = start + ops * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            int k = (int) ((ops / 2) % keys.length);
            long sent = System.nanoTime();
            try {
                if (ops % 2 == 0) {
                    redis.set(keys[k], value(ops));
                    lastAcknowledged[k] = ops;
                    acknowledgedWrites++;
                } else if (sequence(redis.get(keys[k])) < lastAcknowledged[k]) {
                    staleReads++;
                }
            } catch (RuntimeException e) {
                errors++;
                if (firstError == null) {
                    firstError = e.toString();
                }
            }
            latencyMicros.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - sent) / 1000));
            ops++;
        }
    }

    /**
     * Stops the probe and waits for its thread (at most the command timeout plus a little).
     *
     * @throws IllegalStateException if the thread does not end
     */
    void stop() throws InterruptedException {
        stopped = true;
        thread.join(COMMAND_TIMEOUT.toMillis() + 5_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("the latency probe did not stop within " + COMMAND_TIMEOUT);
        }
    }

    /**
     * Reads back every key the probe wrote; call after {@link #stop()}.
     *
     * @return how many acknowledged writes are not visible: the key is missing or holds an older write
     */
    long lostWrites() {
        RedisAdvancedClusterCommands<String, String> redis = connection.sync();
        long lost = 0;
        for (int k = 0; k < keys.length; k++) {
            if (lastAcknowledged[k] >= 0 && sequence(redis.get(keys[k])) < lastAcknowledged[k]) {
                lost++;
            }
        }
        return lost;
    }

    /** Closes the connection; call after {@link #stop()}. */
    void close() {
        connection.close();
    }

    Histogram latencyMicros() {
        return latencyMicros;
    }

    long ops() {
        return ops;
    }

    long errors() {
        return errors;
    }

    long acknowledgedWrites() {
        return acknowledgedWrites;
    }

    long staleReads() {
        return staleReads;
    }

    /** @return the first error seen, or {@code null} */
    String firstError() {
        return firstError;
    }

    private String value(long sequence) {
        StringBuilder value = new StringBuilder(valueSize).append('p').append(sequence).append(':');
        while (value.length() < valueSize) {
            value.append('x');
        }
        return value.toString();
    }

    /** @return the sequence a probe value carries, or -1 for a missing key or a value the probe did not write */
    static long sequence(String value) {
        if (value == null || !value.startsWith("p")) {
            return -1;
        }
        int colon = value.indexOf(':');
        try {
            return colon < 0 ? -1 : Long.parseLong(value, 1, colon, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
