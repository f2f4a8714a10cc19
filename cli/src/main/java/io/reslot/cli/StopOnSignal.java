package io.reslot.cli;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Ctrl-C (or SIGTERM) while a job runs: the JVM's shutdown hook interrupts the thread running the job and waits for
 * it to end, so that the job stops at its next step, records what it did and releases the cluster's lock, and the
 * command reports the engine's message (which names {@code reslot resume --job ID}). The JVM then exits with the
 * signal's status: 130 for SIGINT, as {@link ExitCode#INTERRUPTED} says.
 *
 * <p>{@link Main#main} must not call {@code System.exit} once {@link #signalled()}: a second exit during shutdown
 * blocks for good, and the hook would wait for the thread in vain until {@link #GRACE} runs out.
 */
final class StopOnSignal {

    /** How long the hook waits for the job to stop before the JVM ends regardless. */
    static final Duration GRACE = Duration.ofSeconds(30);

    private static volatile boolean signalled;

    private StopOnSignal() {
    }

    /**
     * Runs {@code job} on this thread with the hook installed, and removes it when {@code job} returns or throws. If
     * the hook stopped the job, this thread's interrupt status is cleared before returning, so that closing the
     * connections and reporting work; the job's exception says it was interrupted.
     */
    static <T> T run(Supplier<T> job) {
        Thread runner = Thread.currentThread();
        AtomicBoolean stopped = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            signalled = true;
            stop(runner, stopped, GRACE);
        }, "reslot-stop-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return job.get();
        } finally {
            if (stopped.get()) {
                Thread.interrupted();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running, and waits for this thread to end
            }
        }
    }

    /**
     * Interrupts {@code runner} and waits up to {@code grace} for it to end. What the hook does; tests call it
     * directly.
     *
     * @param stopped set before the interrupt, so that {@link #run} knows the interrupt was its own
     */
    static void stop(Thread runner, AtomicBoolean stopped, Duration grace) {
        stopped.set(true);
        runner.interrupt();
        try {
            runner.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the JVM ends now either way
        }
    }

    /** Whether a signal is ending the JVM while a job runs. */
    static boolean signalled() {
        return signalled;
    }
}
