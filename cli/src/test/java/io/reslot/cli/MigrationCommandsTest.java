package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * migrate, info, validate, baseline and repair read their scripts before they connect: a bad location or script
 * exits 2 naming it, even with no cluster to talk to (the seed here answers nothing).
 */
class MigrationCommandsTest {

    private static final String NOBODY = "127.0.0.1:1";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"migrate", "info", "validate", "baseline", "repair"})
    void aMissingLocationIsBadInputBeforeAnyConnection(String command) {
        Cli.Result result = command.equals("baseline")
                ? Cli.run("-c", NOBODY, command, "--location", dir.resolve("nowhere").toString(), "--version", "1")
                : Cli.run("-c", NOBODY, command, "--location", dir.resolve("nowhere").toString());

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.stderr()).contains("does not exist").doesNotContain("no node answered");
    }

    @ParameterizedTest
    @ValueSource(strings = {"migrate", "info", "validate"})
    void aMalformedScriptIsNamedWithItsLineBeforeAnyConnection(String command) throws IOException {
        Files.writeString(dir.resolve("V1__Broken.yaml"), "steps:\n  - move-slots: {slots: 1, too: x}\n");

        Cli.Result result = Cli.run("-c", NOBODY, command, "--location", dir.toString());

        assertThat(result.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.stderr()).contains("V1__Broken.yaml:2:").contains("'too'")
                .doesNotContain("no node answered");
    }
}
