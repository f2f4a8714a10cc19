package io.reslot.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.reslot.migrate.MigrateErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    /** Set by the build (surefire) from the Maven project version. */
    private static final String PROJECT_VERSION = System.getProperty("reslot.version");

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void listsTheCommandsInTheToolHelp(String option) {
        Cli.Result result = Cli.run(option);

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).startsWith("usage: reslot [global options] <command> [command options]\n")
                .containsPattern("\n  slot +print the hash slot of each key\n") // padded to the longest name
                .contains("--version", "--json");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void listsEveryRegisteredCommand() {
        String help = Cli.run("--help").stdout();

        assertThat(Commands.ALL).isNotEmpty().allSatisfy(command -> assertThat(help).contains("  " + command.name() + "  "));
    }

    @Test
    void showsTheCommandHelpWhenHelpPrecedesTheCommand() {
        Cli.Result result = Cli.run("--help", "slot");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).startsWith("usage: reslot [global options] slot [--hex] [KEY...]\n");
    }

    @Test
    void printsTheProjectVersion() {
        assertThat(PROJECT_VERSION).isNotBlank();

        Cli.Result result = Cli.run("--version");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo("reslot " + PROJECT_VERSION + "\n");
        assertThat(Cli.run("slot", "--version", "foo").stdout()).isEqualTo("reslot " + PROJECT_VERSION + "\n");
    }

    @Test
    void rejectsAnUnknownCommand() {
        Cli.Result result = Cli.run("slots", "foo");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).isEqualTo("reslot: unknown command 'slots'; see 'reslot --help' for the commands\n");
    }

    @Test
    void rejectsAMissingCommand() {
        Cli.Result result = Cli.run("--json");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).isEqualTo("reslot: no command given; see 'reslot --help'\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "-x", "--vers"})
    void rejectsAnUnknownGlobalOption(String option) {
        Cli.Result result = Cli.run(option, "slot", "foo");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).isEqualTo("reslot: unrecognized option '" + option + "'; see 'reslot --help'\n");
    }

    @Test
    void readsTheBaselineVersionAfterTheCommandAndReslotsVersionBeforeIt() {
        assertThat(Cli.run("--version", "baseline").stdout()).startsWith("reslot ");
        Cli.Result result = Cli.run("baseline", "--location", "nowhere", "--version", "1..2");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
    }

    @Test
    void takesTheCommandNameAfterDoubleDash() {
        Cli.Result result = Cli.run("--", "slot", "foo");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo("12182\tfoo\n");
    }

    @Test
    void givesEveryCommandAUniqueNameAndOptionsThatDoNotClashWithTheGlobalOnes() {
        assertThat(Commands.ALL).extracting(Command::name).doesNotHaveDuplicates();
        for (Command command : Commands.ALL) {
            // The one exception, which CLI.md names: `baseline --version V` (before the command, reslot's version).
            assertThat(command.options().getOptions()).filteredOn(option -> !(command.name().equals("baseline")
                    && option.getLongOpt().equals(GlobalOptions.VERSION))).allSatisfy(option -> {
                assertThat(GlobalOptions.create().hasOption(option.getKey())).as(option.getKey()).isFalse();
                if (option.getLongOpt() != null) {
                    assertThat(GlobalOptions.create().hasLongOption(option.getLongOpt())).isFalse();
                }
            });
            assertThat(Commands.named(command.name())).containsSame(command);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "nodes --help", "check --help", "slot --help"})
    void listsTheGlobalConnectionOptionsInEveryHelp(String args) {
        Cli.Result result = Cli.run(args.split(" "));

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).contains("\nGlobal options:\n", "-c, --cluster HOST:PORT", "--user NAME",
                "--password-env VAR", "--password-file FILE", "--tls", "--yes", "  -q  ", "$RESLOT_CLUSTER",
                "$REDISCLI_AUTH");
    }

    @Test
    void rejectsABadSeedBeforeConnecting() {
        Cli.Result result = Cli.run("--cluster", "localhost", "nodes");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).isEqualTo("reslot: --cluster: 'localhost' is not HOST:PORT\n");
    }

    @Test
    void rejectsAMissingPasswordVariableAlsoWithJson() {
        Cli.Result result = Cli.runWithEnv(Map.of(), "check", "--json", "--password-env", "RESLOT_TEST_NO_SUCH");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr())
                .isEqualTo("reslot: --password-env: environment variable RESLOT_TEST_NO_SUCH is not set\n");
    }

    @Test
    void ignoresConnectionSettingsInCommandsThatDoNotConnect() {
        Cli.Result result = Cli.runWithEnv(Map.of("RESLOT_CLUSTER", "garbage"), "-c", "bad", "slot", "foo");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo("12182\tfoo\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodes", "check"})
    void rejectsArgumentsToCommandsThatTakeNone(String command) {
        Cli.Result result = Cli.run(command, "extra");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("reslot: unexpected argument 'extra'; this command takes none\n");
    }

    @ParameterizedTest
    @EnumSource(MigrateErrorCode.class)
    void mapsEveryEngineErrorCodeToAnExitCode(MigrateErrorCode code) {
        int expected = switch (code) {
            case BAD_INPUT -> 2;
            case LOCKED -> 4;
            case INTERRUPTED -> 130;
            default -> 1;
        };

        assertThat(Main.exitCode(code)).isEqualTo(expected);
    }

    @Test
    void endsQuietlyWithExit141WhenStdoutIsAClosedPipe() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Main.run(new String[] {"slot", "foo"}, InputStream.nullInputStream(),
                failingStdout("Broken pipe"), err);

        assertThat(exit).isEqualTo(141);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void reportsOtherStdoutFailures() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Main.run(new String[] {"slot", "foo"}, InputStream.nullInputStream(),
                failingStdout("No space left on device"), err);

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("reslot: I/O error: No space left on device\n");
    }

    private static OutputStream failingStdout(String message) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException(message);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException(message);
            }
        };
    }
}
