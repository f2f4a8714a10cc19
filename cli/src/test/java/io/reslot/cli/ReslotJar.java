package io.reslot.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.reslot.sandbox.LocalCluster;

import static io.reslot.cli.TestClusters.seed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded {@code reslot.jar} run as a child JVM, as an operator runs it, for the crash tests that SIGKILL it: its
 * stdout and stderr go to files of the test's temporary directory, stdin is empty, and the environment adds what the
 * test gives (a short {@link Moves#LOCK_LEASE_ENV}, so that a killed run's lock frees quickly).
 */
final class ReslotJar {

    /** The jar that {@code mvn verify} packages before failsafe runs the {@code *IT}s. */
    static final Path JAR = Paths.get(System.getProperty("reslot.jar", "target/reslot.jar"));

    private ReslotJar() {
    }

    /**
     * The random moments of a crash test: seeded with {@code -Dreslot.crash.seed=N}, else {@code defaultSeed}, and
     * the seed printed so that a failure can be replayed.
     */
    static Random crashRandom(Class<?> test, long defaultSeed) {
        long seed = Long.getLong("reslot.crash.seed", defaultSeed);
        System.out.println(test.getSimpleName() + ": seed " + seed + " (-Dreslot.crash.seed=N for another)");
        return new Random(seed);
    }

    /** Fails the test with a hint if the jar is not built. */
    static void requireBuilt() {
        assertThat(JAR).as("the shaded jar; run 'mvn verify', which packages it first").isRegularFile();
    }

    /** {@code java -jar reslot.jar args...}, with the java of the JVM running the test. */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs {@code java -jar reslot.jar args...} (no seed node) with {@code stdin} to its end, its output kept in
     * {@code dir}.
     *
     * @throws AssertionError if the jar was not built, or if the run does not end within {@code timeout}; it is sent
     *     SIGTERM first (a run stops what it started on the way out) and waited for a little longer
     */
    static Run run(Path dir, String stdin, Duration timeout, String... args) throws IOException, InterruptedException {
        return run(dir, Map.of(), stdin, timeout, args);
    }

    /** As {@link #run(Path, String, Duration, String...)}, with {@code env} added to the environment. */
    static Run run(Path dir, Map<String, String> env, String stdin, Duration timeout, String... args)
            throws IOException, InterruptedException {
        requireBuilt();
        Path in = Files.writeString(Files.createTempFile(dir, "stdin", ".txt"), stdin);
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command(args)).redirectInput(in.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("reslot " + String.join(" ", args) + " did not finish within " + timeout
                    + "; stderr: " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Run(process, out, err);
    }

    /** Starts {@code java -jar reslot.jar -c <seed> args...}. */
    static Run start(Path dir, Map<String, String> env, LocalCluster cluster, String... args) throws IOException {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        List<String> command = command("-c", seed(cluster));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(env);
        return new Run(builder.start(), out, err);
    }

    /**
     * Runs {@code reslot args...} to its end, again every 200 ms for as long as it exits with
     * {@link ExitCode#LOCKED} within {@code lockedForMillis}: what the next run after a crash does while the dead
     * run's lease lasts.
     *
     * @return the last run, ended, and how many were refused before it
     */
    static Completed runUntilUnlocked(Path dir, Map<String, String> env, LocalCluster cluster, long lockedForMillis,
            String... args) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lockedForMillis);
        int locked = 0;
        while (true) {
            Run run = start(dir, env, cluster, args).waitFor();
            if (run.exit() != ExitCode.LOCKED || System.nanoTime() >= deadline) {
                return new Completed(run, locked);
            }
            locked++;
            Thread.sleep(200);
        }
    }

    /** A run that ended, after {@code refused} runs before it exited with {@link ExitCode#LOCKED}. */
    record Completed(Run run, int refused) {

        /** {@code "the next run ended with 0 (after 2 refused while locked)"}, for the test's log. */
        String describe() {
            return "the next run ended with " + run.exit() + (refused > 0 ? " (after " + refused
                    + " refused while locked)" : "");
        }
    }

    /** A {@code java -jar reslot.jar} process. */
    record Run(Process process, Path out, Path err) {

        /** Waits up to 120 s for the process to end. */
        Run waitFor() throws InterruptedException {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("reslot finished within 120 s").isTrue();
            return this;
        }

        /** Kills the process with SIGKILL after {@code millis}, unless it ended before; says which. */
        String killAfter(long millis) throws InterruptedException {
            if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                return "ended by itself with " + process.exitValue();
            }
            process.destroyForcibly();
            process.waitFor();
            return "killed";
        }

        /**
         * Waits until a line of stderr contains {@code text}, polling every 10 ms.
         *
         * @return true once it does; false if the process ended without writing it or {@code timeoutMillis} passed
         */
        boolean awaitStderr(String text, long timeoutMillis) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!stderr().contains(text)) {
                if (!process.isAlive() && !stderr().contains(text) || System.nanoTime() >= deadline) {
                    return false;
                }
                Thread.sleep(10);
            }
            return true;
        }

        int exit() {
            return process.exitValue();
        }

        String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }
    }
}
