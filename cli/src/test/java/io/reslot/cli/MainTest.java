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
import org.junit.jupiter.params.provider.CsvSource;
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

    @ParameterizedTest
    @CsvSource({
        "resharde, reshard",
        "slots, slot",
        "rebalnce, rebalance",
        "Drain, drain",
        "mgirate, migrate",
        "move-slot, move-slots"})
    void rejectsAnUnknownCommandNamingTheNearestOne(String typed, String meant) {
        Cli.Result result = Cli.run(typed, "foo");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).isEqualTo("reslot: unknown command '" + typed + "'; did you mean '" + meant + "'?\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xyz", "frobnicate", "sl"})
    void rejectsAnUnknownCommandThatIsNearNoneByPointingToTheHelp(String typed) {
        Cli.Result result = Cli.run(typed);

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("reslot: unknown command '" + typed + "'; see 'reslot --help' for the "
                + "commands\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "reshard --slotz 3 --to x | --slotz | --slots",
        "reshard --slotz=3 --to x | --slotz | --slots",
        "drain --nod x | --nod | --node",
        "retag --rgex x | --rgex | --regex",
        "migrate --locaton x | --locaton | --location",
        "nodes --jsno | --jsno | --json",
        "check --cluser 127.0.0.1:1 | --cluser | --cluster",
        "rebalance --use-empty-master | --use-empty-master | --use-empty-masters",
        "nodes --password s3cret | --password | --password-env or --password-file"})
    void rejectsAnUnknownCommandOptionNamingTheNearestOne(String args, String typed, String meant) {
        Cli.Result result = Cli.run(args.split(" "));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).isEqualTo("reslot: unknown option " + typed + "; did you mean " + meant + "?\n");
    }

    @Test
    void neverEchoesTheValueOfAnUnknownOption() {
        Cli.Result result = Cli.run("--password=s3cret", "nodes");
        Cli.Result after = Cli.run("nodes", "--password=s3cret");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(after.exit()).isEqualTo(2);
        assertThat(result.stderr() + after.stderr()).doesNotContain("s3cret")
                .contains("unknown option --password; did you mean --password-env or --password-file?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"slot", "nodes", "check", "fix", "reshard", "move-slots", "rebalance", "drain", "resume",
        "retag", "migrate", "info", "validate", "baseline", "repair"})
    void printsTheHelpOfEveryCommandOfCliMdWithOptionsAndAnExample(String name) {
        Cli.Result result = Cli.run(name, "--help");

        assertThat(result.exit()).isZero();
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).startsWith("usage: reslot [global options] " + name)
                .contains("\nGlobal options:\n", "  -h, --help ").containsPattern("\nExamples?:\n  reslot .*" + name);
    }

    @Test
    void givesEveryRegisteredCommandASummaryOptionsAndAnExampleThatUsesIt() {
        String tool = Cli.run("--help").stdout();
        for (Command command : Commands.ALL) {
            assertThat(command.summary()).as(command.name()).isNotBlank().doesNotContain("\n");
            // one line each: the summary is not wrapped
            assertThat(tool).as(command.name()).containsPattern("\n  " + command.name() + " +"
                    + java.util.regex.Pattern.quote(command.summary()) + "\n");
            assertThat(command.examples()).as(command.name() + " has no example").isNotEmpty();
            String help = Cli.run(command.name(), "--help").stdout();
            assertThat(command.examples()).as(command.name()).allSatisfy(example -> assertThat(help)
                    .contains("\n  " + example + "\n"));
            assertThat(command.examples().get(0)).as(command.name()).startsWith("reslot ").contains(" " + command.name());
            if (!command.options().getOptions().isEmpty()) {
                assertThat(help).as(command.name()).contains("\nOptions:\n");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fix", "reshard", "move-slots", "rebalance", "drain", "resume", "retag", "migrate",
        "baseline", "repair"})
    void offersDryRunInEveryCommandThatChangesTheCluster(String name) {
        Command command = Commands.named(name).orElseThrow();

        assertThat(command.options().hasLongOption("dry-run")).isTrue();
        assertThat(Cli.run(name, "--help").stdout()).contains("--dry-run");
    }

    @Test
    void rejectsAMissingCommand() {
        Cli.Result result = Cli.run("--json");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).isEqualTo("reslot: no command given; see 'reslot --help'\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "-x", "--fast"})
    void rejectsAnUnknownGlobalOption(String option) {
        Cli.Result result = Cli.run(option, "slot", "foo");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).isEqualTo("reslot: unknown option " + option + "; see 'reslot --help'\n");
    }

    @ParameterizedTest
    @CsvSource({"--jsn, --json", "--yse, --yes", "--tsl, --tls", "--clustr, --cluster",
        "--pasword-file, --password-file", "--vers, --version"})
    void rejectsAnUnknownGlobalOptionNamingTheNearestOne(String typed, String meant) {
        Cli.Result result = Cli.run(typed, "nodes");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("reslot: unknown option " + typed + "; did you mean " + meant + "?\n");
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
