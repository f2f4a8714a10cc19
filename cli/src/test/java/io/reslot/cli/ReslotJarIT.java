package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The shaded jar's basic behaviour, run as a separate process by {@link ReslotJar}. */
class ReslotJarIT {

    @TempDir
    Path tmp;

    @Test
    void printsTheSlotOfAnArgument() throws Exception {
        ReslotJar.Run run = reslot("", "slot", "user:{42}:cart");

        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).isEqualTo("8000\tuser:{42}:cart\n");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void readsKeysFromStdin() throws Exception {
        ReslotJar.Run run = reslot("foo\r\nuser:{42}:cart\n", "slot");

        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).isEqualTo("12182\tfoo\n8000\tuser:{42}:cart\n");
    }

    @Test
    void exitsWith2OnBadHex() throws Exception {
        ReslotJar.Run run = reslot("", "slot", "--hex", "7g");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).isEqualTo("reslot: argument 1: invalid hex key '7g': 'g' at offset 1 is not a hex digit\n");
    }

    @Test
    void printsTheFilteredVersion() throws Exception {
        ReslotJar.Run run = reslot("", "--version");

        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).isEqualTo("reslot " + System.getProperty("reslot.version") + "\n")
                .doesNotContain("${");
    }

    private ReslotJar.Run reslot(String stdin, String... args) throws IOException, InterruptedException {
        return ReslotJar.run(tmp, stdin, Duration.ofSeconds(60), args);
    }
}
