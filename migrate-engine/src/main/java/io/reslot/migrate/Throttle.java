package io.reslot.migrate;

import java.util.concurrent.TimeUnit;

/**
 * Keeps a whole job under a number of keys per second ({@code --rate}): each batch reserves its keys and waits until
 * the reservation is due. Thread-safe; a rate of 0 never waits.
 */
final class Throttle {

    private final long keysPerSecond;
    private long nextFreeNanos = System.nanoTime();

    Throttle(long keysPerSecond) {
        this.keysPerSecond = keysPerSecond;
    }

    /**
     * Waits until {@code keys} more keys may be sent.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void acquire(int keys) throws InterruptedException {
        if (keysPerSecond <= 0) {
            return;
        }
        long due;
        synchronized (this) {
            long now = System.nanoTime();
            // an idle throttle does not bank more than one second of credit
            nextFreeNanos = Math.max(nextFreeNanos, now - TimeUnit.SECONDS.toNanos(1));
            due = nextFreeNanos;
            nextFreeNanos += TimeUnit.SECONDS.toNanos(keys) / keysPerSecond;
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
