package io.reslot.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of an external reshard command, its output (stdout and stderr together) going to a log file.
 *
 * @param exitCode the command's exit code, or {@code -1} if it was killed after the timeout
 * @param seconds  wall time from starting the process to its exit, including the process's own start-up
 * @param log      the log file
 */
record ToolRun(int exitCode, double seconds, Path log) {

    boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * Runs {@code command} and waits for it, at most {@code timeout}; after that the process is killed.
     *
     * @throws IOException if the command cannot be started or the log not created
     */
    static ToolRun run(List<String> command, Path log, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, "$ " + String.join(" ", command) + "\n");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!exited) {
                Files.writeString(log, "\n[killed by ReshardBenchmark after " + timeout + "]\n",
                        StandardOpenOption.APPEND);
                return new ToolRun(-1, seconds, log);
            }
            return new ToolRun(process.exitValue(), seconds, log);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
