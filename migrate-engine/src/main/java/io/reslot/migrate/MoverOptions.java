package io.reslot.migrate;

import java.util.Objects;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * How the mover works: batch sizes, overlap, throttling, durability and the BUSYKEY policy. Immutable; build with
 * {@link #builder()}; serialisable with Jackson (it is stored with each job, so that {@code resume} moves the same
 * way).
 *
 * @param maxPauseMillis the longest single {@code MIGRATE} to aim for: a MIGRATE blocks source and target, so
 *     batches are sized from measured speed to stay near this
 * @param batchKeys the most keys in one MIGRATE
 * @param batchBytes the most bytes (as {@code MEMORY USAGE} estimates them) in one MIGRATE
 * @param parallel how many source/target pairs move at once
 * @param window how many slots are in flight at once per source/target pair
 * @param timeoutMillis MIGRATE's own timeout, per I/O step; the connection's command timeout must be longer
 * @param rate the most keys per second over the whole job, 0 for no limit
 * @param onBusyKey what to do with a key that already exists on the target
 * @param waitReplicas after each batch, {@code WAIT} until this many replicas of the target have it (0: do not wait)
 */
public record MoverOptions(long maxPauseMillis, int batchKeys, long batchBytes, int parallel, int window,
        long timeoutMillis, long rate, BusyKeyPolicy onBusyKey, int waitReplicas) {

    /**
     * Aim for MIGRATE pauses of at most this many milliseconds. Measured on a 2-core machine: small keys then go
     * 1,000 to a batch (the key cap), about as long a pause as {@code redis-cli --cluster-pipeline 1000} makes and
     * with a lower client p99; 5 ms halves the batches and costs a hot slot about a third of its speed.
     */
    public static final long DEFAULT_MAX_PAUSE_MILLIS = 10;
    /** At most this many keys per MIGRATE. */
    public static final int DEFAULT_BATCH_KEYS = 1000;
    /** At most this many bytes per MIGRATE. */
    public static final long DEFAULT_BATCH_BYTES = 4L << 20;
    /** Source/target pairs moving at once. */
    public static final int DEFAULT_PARALLEL = 4;
    /** Slots in flight per pair. */
    public static final int DEFAULT_WINDOW = 16;
    /** MIGRATE's timeout; {@code redis-cli} uses 60 s, but a step that takes 10 s means a node is in trouble. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

    /**
     * @throws IllegalArgumentException naming the value if a number is out of range
     * @throws NullPointerException if {@code onBusyKey} is null
     */
    public MoverOptions {
        requireArgument(maxPauseMillis >= 1, "max pause must be at least 1 ms, not %d", maxPauseMillis);
        requireArgument(batchKeys >= 1, "batch keys must be at least 1, not %d", batchKeys);
        requireArgument(batchBytes >= 1, "batch bytes must be at least 1, not %d", batchBytes);
        requireArgument(parallel >= 1, "parallel must be at least 1, not %d", parallel);
        requireArgument(window >= 1, "window must be at least 1, not %d", window);
        requireArgument(timeoutMillis >= 1, "timeout must be at least 1 ms, not %d", timeoutMillis);
        requireArgument(rate >= 0, "rate must be 0 (no limit) or more, not %d", rate);
        Objects.requireNonNull(onBusyKey, "onBusyKey");
        requireArgument(waitReplicas >= 0, "wait replicas must be 0 or more, not %d", waitReplicas);
    }

    /** The defaults. */
    public static MoverOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxPauseMillis = maxPauseMillis;
        b.batchKeys = batchKeys;
        b.batchBytes = batchBytes;
        b.parallel = parallel;
        b.window = window;
        b.timeoutMillis = timeoutMillis;
        b.rate = rate;
        b.onBusyKey = onBusyKey;
        b.waitReplicas = waitReplicas;
        return b;
    }

    /** Builds {@link MoverOptions}; each setter's argument is checked by {@link #build()}. */
    public static final class Builder {

        private long maxPauseMillis = DEFAULT_MAX_PAUSE_MILLIS;
        private int batchKeys = DEFAULT_BATCH_KEYS;
        private long batchBytes = DEFAULT_BATCH_BYTES;
        private int parallel = DEFAULT_PARALLEL;
        private int window = DEFAULT_WINDOW;
        private long timeoutMillis = DEFAULT_TIMEOUT_MILLIS;
        private long rate;
        private BusyKeyPolicy onBusyKey = BusyKeyPolicy.COMPARE;
        private int waitReplicas;

        private Builder() {
        }

        public Builder maxPauseMillis(long value) {
            maxPauseMillis = value;
            return this;
        }

        public Builder batchKeys(int value) {
            batchKeys = value;
            return this;
        }

        public Builder batchBytes(long value) {
            batchBytes = value;
            return this;
        }

        public Builder parallel(int value) {
            parallel = value;
            return this;
        }

        public Builder window(int value) {
            window = value;
            return this;
        }

        public Builder timeoutMillis(long value) {
            timeoutMillis = value;
            return this;
        }

        public Builder rate(long keysPerSecond) {
            rate = keysPerSecond;
            return this;
        }

        public Builder onBusyKey(BusyKeyPolicy value) {
            onBusyKey = value;
            return this;
        }

        public Builder waitReplicas(int value) {
            waitReplicas = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the value if one is out of range */
        public MoverOptions build() {
            return new MoverOptions(maxPauseMillis, batchKeys, batchBytes, parallel, window, timeoutMillis, rate,
                    onBusyKey, waitReplicas);
        }
    }
}
