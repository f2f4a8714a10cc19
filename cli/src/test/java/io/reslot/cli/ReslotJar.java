package io.reslot.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the shaded {@code reslot.jar} that {@code package} built with {@code java -jar}, as a user would: the manifest,
 * the shaded dependencies, the filtered resources and the real standard streams are all in play.
 */
final class ReslotJar {

    /** Set by the build (failsafe): {@code target/reslot.jar}. */
    static final Path JAR = Paths.get(System.getProperty("reslot.jar", "target/reslot.jar"));

    private ReslotJar() {
    }

    /**
     * Runs {@code java -jar reslot.jar args...} with {@code stdin}, its output kept in {@code tmp}.
     *
     * @throws AssertionError if the jar was not built
     * @throws AssertionError if it does not end within {@code timeout}; it is sent SIGTERM (a run stops what it
     *     started on the way out) and waited for a little longer first
     */
    static Run run(Path tmp, String stdin, Duration timeout, String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded jar; run 'mvn verify', which packages it first").isRegularFile();
        Path in = Files.writeString(tmp.resolve("stdin"), stdin);
        Path out = tmp.resolve("stdout");
        Path err = tmp.resolve("stderr");
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("reslot " + String.join(" ", args) + " did not finish within " + timeout
                    + "; stderr: " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** What a run did. */
    record Run(int exit, String stdout, String stderr) {
    }
}
