package io.reslot.migrate;

/**
 * Chooses how many keys the next MIGRATE of one source/target pair carries, from what the pair's earlier batches
 * cost: a MIGRATE blocks both nodes for its whole run, so batches aim at the pause budget, within the key and byte
 * caps. After an I/O error or timeout the size is halved, and it grows back as batches succeed. Thread-safe.
 */
final class BatchSizer {

    /** Keys in the first batch, before anything is known about the pair's speed or key sizes. */
    static final int FIRST_BATCH = 100;
    /** Weight of the newest sample in the moving averages: quick to follow a change of value sizes. */
    private static final double ALPHA = 0.3;

    private final long maxPauseMicros;
    private final int maxKeys;
    private final long maxBytes;

    private double microsPerKey = Double.NaN;
    private double bytesPerKey = Double.NaN;
    private int errorCap = Integer.MAX_VALUE;

    BatchSizer(MoverOptions options) {
        this.maxPauseMicros = options.maxPauseMillis() * 1000;
        this.maxKeys = options.batchKeys();
        this.maxBytes = options.batchBytes();
    }

    /** The size of the next batch, at least 1. */
    synchronized int next() {
        double keys = Double.isNaN(microsPerKey) ? FIRST_BATCH : maxPauseMicros / Math.max(microsPerKey, 0.01);
        if (!Double.isNaN(bytesPerKey) && bytesPerKey > 0) {
            keys = Math.min(keys, maxBytes / bytesPerKey);
        }
        keys = Math.min(keys, Math.min(maxKeys, errorCap));
        return (int) Math.max(1, keys);
    }

    /**
     * Learns from a finished batch.
     *
     * @param keys keys sent in it (batches of fewer than 8 keys say more about round trips than about keys, and
     *     only update the byte estimate)
     * @param bytes their estimated bytes, or a negative number when unknown
     * @param pauseMicros how long the server spent on it
     */
    synchronized void record(int keys, long bytes, long pauseMicros) {
        if (keys <= 0) {
            return;
        }
        if (bytes >= 0) {
            bytesPerKey = average(bytesPerKey, (double) bytes / keys);
        }
        if (keys >= 8) {
            microsPerKey = average(microsPerKey, (double) pauseMicros / keys);
        }
        if (errorCap != Integer.MAX_VALUE) {
            errorCap = errorCap >= maxKeys / 2 ? Integer.MAX_VALUE : errorCap * 2;
        }
    }

    /** Halves the batch size after a failed batch of {@code keys} keys. */
    synchronized void shrink(int keys) {
        errorCap = Math.max(1, Math.min(errorCap, keys) / 2);
    }

    private static double average(double current, double sample) {
        return Double.isNaN(current) ? sample : current + ALPHA * (sample - current);
    }
}
