package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reslot sandbox} without starting anything: its help, bad input, and nothing being up. */
class SandboxCommandTest {

    @TempDir
    Path home;

    @Test
    void showsItsHelpWithExamplesWithin80ColumnsBelowTheUsageLine() {
        Cli.Result result = Cli.run("sandbox", "--help");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).startsWith("usage: reslot [global options] sandbox up [--masters N] ")
                .contains("--masters N", "--replicas R", "--port P", "reslot sandbox down --port 7000",
                        "$RESLOT_SANDBOX_DIR");
        assertThat(result.stdout().lines().skip(1)).allSatisfy(line -> assertThat(line.length()).as(line)
                .isLessThanOrEqualTo(80));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sandbox|reslot: sandbox: say what to do: up, down or status; see 'reslot sandbox --help'",
        "sandbox upp|reslot: sandbox: unknown action 'upp'; did you mean 'up'?",
        "sandbox start|reslot: sandbox: unknown action 'start'; give up, down or status",
        "sandbox up now|reslot: unexpected argument 'now'; sandbox up takes none",
        "sandbox down --masters 3|reslot: --masters is an option of 'sandbox up', not of 'sandbox down'",
        "sandbox status --replicas 1|reslot: --replicas is an option of 'sandbox up', not of 'sandbox status'",
        "sandbox up --masters 0|reslot: --masters 0: give a whole number from 1 to 100",
        "sandbox up --replicas 6|reslot: --replicas 6: give a whole number from 0 to 5",
        "sandbox up --port 55536|reslot: --port 55536: give a whole number from 1 to 55535",
        "sandbox up --port 55535 --masters 2|reslot: --port 55535: basePort 55535 is too high for 2 nodes: port "
                + "55536 would need bus port 65536"})
    void rejectsBadInputBeforeStartingAnything(String args, String message) throws IOException {
        Cli.Result result = Cli.runWithEnv(env(), args.split(" "));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).isEqualTo(message + "\n");
        assertThat(home).isEmptyDirectory();
    }

    @Test
    void saysThatNothingIsUp() throws IOException {
        assertThat(Cli.runWithEnv(env(), "sandbox", "status").stdout()).isEqualTo("no sandbox is up\n");
        assertThat(Cli.runWithEnv(env(), "sandbox", "status", "--port", "7000").stdout())
                .isEqualTo("no sandbox is up on port 7000\n");
        Cli.Result down = Cli.runWithEnv(env(), "sandbox", "down");
        assertThat(down.exit()).isZero();
        assertThat(down.stdout()).isEqualTo("no sandbox is up\n");
        assertThat(down.stderr()).isEmpty();

        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(Cli.runWithEnv(env(), "--json", "sandbox", "status").stdout()).get("sandboxes"))
                .isEmpty();
        assertThat(json.readTree(Cli.runWithEnv(env(), "--json", "sandbox", "down").stdout()).get("stopped"))
                .isEmpty();
    }

    @Test
    void failsNamingAStateFileItCannotRead() throws IOException {
        Files.writeString(home.resolve("7000.json"), "not json");

        for (String action : new String[] {"status", "down"}) {
            Cli.Result result = Cli.runWithEnv(env(), "sandbox", action);

            assertThat(result.exit()).isEqualTo(1);
            assertThat(result.stderr()).startsWith("reslot: " + home.resolve("7000.json")
                    + " is not a valid sandbox state file: ");
        }
        assertThat(home.resolve("7000.json")).exists();
    }

    private Map<String, String> env() {
        return Map.of(SandboxState.HOME_ENV, home.toString());
    }
}
