package io.reslot.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the shaded {@code reslot.jar} that {@code package} built, with {@code java -jar}, as a user would: the
 * manifest, the shaded dependencies, the filtered version and the real standard streams are all in play.
 */
class ReslotJarIT {

    @TempDir
    Path tmp;

    @BeforeAll
    static void jarExists() {
        ReslotJar.requireBuilt();
    }

    @Test
    void printsTheSlotOfAnArgument() throws Exception {
        Run run = reslot("", "slot", "user:{42}:cart");

        assertThat(run.exit).isZero();
        assertThat(run.stdout).isEqualTo("8000\tuser:{42}:cart\n");
        assertThat(run.stderr).isEmpty();
    }

    @Test
    void readsKeysFromStdin() throws Exception {
        Run run = reslot("foo\r\nuser:{42}:cart\n", "slot");

        assertThat(run.exit).isZero();
        assertThat(run.stdout).isEqualTo("12182\tfoo\n8000\tuser:{42}:cart\n");
    }

    @Test
    void exitsWith2OnBadHex() throws Exception {
        Run run = reslot("", "slot", "--hex", "7g");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.stdout).isEmpty();
        assertThat(run.stderr).isEqualTo("reslot: argument 1: invalid hex key '7g': 'g' at offset 1 is not a hex digit\n");
    }

    @Test
    void printsTheFilteredVersion() throws Exception {
        Run run = reslot("", "--version");

        assertThat(run.exit).isZero();
        assertThat(run.stdout).isEqualTo("reslot " + System.getProperty("reslot.version") + "\n")
                .doesNotContain("${");
    }

    private Run reslot(String stdin, String... args) throws IOException, InterruptedException {
        Path in = Files.writeString(tmp.resolve("stdin"), stdin);
        Path out = tmp.resolve("stdout");
        Path err = tmp.resolve("stderr");
        Process process = new ProcessBuilder(ReslotJar.command(args))
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("reslot finished within 60 s").isTrue();
        return new Run(process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Run(int exit, String stdout, String stderr) {
    }
}
