package io.reslot.cli;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    private static final Set<StopOnSignal> RUNNING = ConcurrentHashMap.newKeySet();
    private static volatile boolean signalled;

    private final Thread runner;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private StopOnSignal(Thread runner) {
        this.runner = runner;
    }

    /**
     * Runs {@code job} on this thread with the hook installed, and removes it when {@code job} returns or throws. If
     * the hook stopped the job, this thread's interrupt status is cleared before returning, so that closing the
     * connections and reporting work; the job's exception says it was interrupted.
     */
    static <T> T run(Supplier<T> job) {
        StopOnSignal guard = new StopOnSignal(Thread.currentThread());
        Thread hook = new Thread(() -> {
            signalled = true;
            guard.stop();
        }, "reslot-stop-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        RUNNING.add(guard);
        try {
            return job.get();
        } finally {
            RUNNING.remove(guard);
            if (guard.stopped.get()) {
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
     * Stops every job running under {@link #run} as a signal would, without ending the JVM, and waits for their
     * threads to end (up to {@link #GRACE} each). For tests: a signal cannot be sent to an in-process run.
     */
    static void stopRunning() {
        RUNNING.forEach(StopOnSignal::stop);
    }

    /** Whether a job is running under {@link #run}. */
    static boolean anyRunning() {
        return !RUNNING.isEmpty();
    }

    /** Whether a signal is ending the JVM while a job runs. */
    static boolean signalled() {
        return signalled;
    }

    private void stop() {
        stopped.set(true);
        runner.interrupt();
        try {
            runner.join(GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the JVM ends now either way
        }
    }
}
