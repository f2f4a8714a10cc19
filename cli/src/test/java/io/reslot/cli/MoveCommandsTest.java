package io.reslot.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.reslot.migrate.BusyKeyPolicy;
import io.reslot.migrate.JobOutcome;
import io.reslot.migrate.Jobs;
import io.reslot.migrate.MoverOptions;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Option parsing, confirmation and help of reshard, move-slots, rebalance, drain and resume; no cluster needed. */
class MoveCommandsTest {

    /** Nothing listens there: a command whose options are valid gets as far as connecting, and fails with 1. */
    private static final String NOBODY = "127.0.0.1:1";

    private static final String[] MOVER_OPTIONS = {"--max-pause", "7", "--batch-keys", "50", "--parallel", "2",
        "--window", "3", "--timeout", "2000", "--rate", "0", "--on-busy-key", "REPLACE", "--wait-replicas", "1"};

    @ParameterizedTest
    @ValueSource(strings = {"reshard", "move-slots", "rebalance", "drain", "resume"})
    void printsTheHelpOfEachCommand(String command) {
        Cli.Result result = Cli.run(command, "--help");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).startsWith("usage: reslot [global options] " + command + " ")
                .contains("--dry-run", "--max-pause MS", "--batch-keys N", "--parallel N", "--window N",
                        "--timeout MS", "--rate KEYS_PER_S", "--on-busy-key fail|compare|replace", "--wait-replicas N",
                        "Move N slots? [y/N]", "130 interrupted", "reslot resume");
        assertThat(result.stdout().lines().skip(1)).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void listsTheMoveCommandsInTheToolHelp() {
        assertThat(Cli.run("--help").stdout()).contains("  reshard ", "  move-slots ", "  rebalance ", "  drain ",
                "  resume ", "130 interrupted");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "reshard --to n1 --slots 10",
        "reshard --to n1 --slots 16384 --from all",
        "reshard --to n1 --slots 1 --from n2,n3",
        "move-slots --slots 0-999,2000 --to n1",
        "rebalance",
        "rebalance --weight n1=2 --weight 127.0.0.1:7000=0.5 --threshold 0 --use-empty-masters",
        "drain --node n1",
        "resume",
        "resume --job 1a2b3c4d --dry-run"})
    void acceptsValidOptionsAndGoesOnToConnect(String args) {
        List<String> command = new ArrayList<>(List.of(args.split(" ")));
        command.addAll(List.of(MOVER_OPTIONS));
        command.addAll(List.of("-c", NOBODY));

        Cli.Result result = Cli.run(command.toArray(new String[0]));

        assertThat(result.exit()).as(result.stderr()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("reslot: no node answered: " + NOBODY);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "reshard --slots 10                  | reshard needs --to NODE; see 'reslot reshard --help'",
        "reshard --to n1                     | reshard needs --slots N; see 'reslot reshard --help'",
        "reshard --to n1 --slots abc         | --slots abc: give a whole number from 1 to 16384",
        "reshard --to n1 --slots 0           | --slots 0: give a whole number from 1 to 16384",
        "reshard --to n1 --slots 16385       | --slots 16385: give a whole number from 1 to 16384",
        "reshard --to n1 --slots 5 --from n2,,n3 | --from n2,,n3: give NODE,... without empty items, or all alone",
        "reshard --to n1 --slots 5 --from all,n2 | --from all,n2: give NODE,... without empty items, or all alone",
        "move-slots --to n1                  | move-slots needs --slots SLOTS; see 'reslot move-slots --help'",
        "move-slots --slots 1                | move-slots needs --to NODE; see 'reslot move-slots --help'",
        "move-slots --slots abc --to n1      | --slots abc: invalid slots \"abc\": item 1 ",
        "move-slots --slots 5-16384 --to n1  | --slots 5-16384: invalid slots \"5-16384\": item 1 ",
        "rebalance --weight n1               | --weight n1: give NODE=W with W a number of 0 or more, e.g. 10.0.0.1:7000=2",
        "rebalance --weight n1=-1            | --weight n1=-1: give NODE=W",
        "rebalance --weight n1=NaN           | --weight n1=NaN: give NODE=W",
        "rebalance --weight =2               | --weight =2: give NODE=W",
        "rebalance --weight n1=1 --weight n1=2 | --weight n1=2: n1 is given a weight twice",
        "rebalance --threshold x             | --threshold x: give a percentage of 0 or more, e.g. 2.5",
        "rebalance --threshold -1            | --threshold -1: give a percentage of 0 or more",
        "drain                               | drain needs --node NODE; see 'reslot drain --help'",
        "drain --node n1 extra               | unexpected argument 'extra'; this command takes none",
        "drain --node n1 --window 0          | --window 0: give a whole number of 1 or more",
        "drain --node n1 --max-pause 0       | --max-pause 0: give a whole number of 1 or more",
        "drain --node n1 --batch-keys 1.5    | --batch-keys 1.5: give a whole number of 1 or more",
        "drain --node n1 --parallel 9999999999 | --parallel 9999999999: give a whole number of 1 or more",
        "drain --node n1 --timeout -5        | --timeout -5: give a whole number of 1 or more",
        "drain --node n1 --rate -1           | --rate -1: give a whole number of 0 or more",
        "drain --node n1 --wait-replicas x   | --wait-replicas x: give a whole number of 0 or more",
        "drain --node n1 --on-busy-key maybe | --on-busy-key maybe: give fail, compare or replace",
        "resume --window 0                   | --window 0: give a whole number of 1 or more",
        "resume --job                        | Missing argument for option: job"})
    void rejectsABadValueNamingTheOptionAndTheValue(String args, String message) {
        Cli.Result result = Cli.run((args.strip() + " -c " + NOBODY).split(" +"));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).startsWith("reslot: " + message.strip()).endsWith("\n").hasLineCount(1);
    }

    @Test
    void rejectsABadLockLeaseFromTheEnvironment() {
        Cli.Result result = Cli.runWithEnv(Map.of(Moves.LOCK_LEASE_ENV, "50"), "drain", "--node", "n1", "-c", NOBODY);

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("reslot: RESLOT_LOCK_LEASE_MS=50: give a whole number of 100 or more\n");
        assertThat(Moves.lockLease(Map.of())).isEqualTo(Jobs.DEFAULT_LOCK_LEASE);
        assertThat(Moves.lockLease(Map.of(Moves.LOCK_LEASE_ENV, "2000"))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void buildsMoverOptionsFromTheGivenOnesOverABase() throws Exception {
        MoverOptions base = MoverOptions.builder().window(9).rate(100).onBusyKey(BusyKeyPolicy.FAIL).build();

        MoverOptions all = Moves.moverOptions(parse(MOVER_OPTIONS), base);
        MoverOptions some = Moves.moverOptions(parse("--window", "2", "--on-busy-key", " compare "), base);

        assertThat(all).isEqualTo(new MoverOptions(7, 50, MoverOptions.DEFAULT_BATCH_BYTES, 2, 3, 2000, 0,
                BusyKeyPolicy.REPLACE, 1));
        assertThat(some).isEqualTo(base.toBuilder().window(2).onBusyKey(BusyKeyPolicy.COMPARE).build());
        assertThat(Moves.moverOptions(parse(), base)).isEqualTo(base);
    }

    @ParameterizedTest
    @ValueSource(strings = {"y\n", "yes\n", "Y\r\n", " YES \n", "y"})
    void takesYesForAnAnswer(String answer) throws IOException {
        Asked asked = ask(answer);

        assertThat(asked.confirmed).isTrue();
        assertThat(asked.stderr).isEqualTo("Move 3 slots? [y/N] ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"n\n", "\n", "no\n", "yess\n", "sure\ny\n"})
    void takesAnythingElseForNo(String answer) throws IOException {
        assertThat(ask(answer).confirmed).isFalse();
    }

    @Test
    void takesTheEndOfStdinForNo() throws IOException {
        Asked asked = ask("");

        assertThat(asked.confirmed).isFalse();
        assertThat(asked.stderr).isEqualTo("Move 3 slots? [y/N] \n");
    }

    @Test
    void formatsTheOutcome() {
        JobOutcome outcome = new JobOutcome("1a2b3c4d", true, 5461, 5461, 123456, 12_345_678, 4210,
                List.of());

        assertThat(Moves.summary(5461, outcome))
                .isEqualTo("moved 5461 slots (123456 keys, 12.3 MB) in 4.2 s; job 1a2b3c4d done\n");
        assertThat(Moves.bytes(999)).isEqualTo("999 B");
        assertThat(Moves.bytes(1000)).isEqualTo("1.0 kB");
        assertThat(Moves.bytes(999_960)).isEqualTo("1.0 MB");
        assertThat(Moves.bytes(4_200_000_000L)).isEqualTo("4.2 GB");
    }

    private static CommandLine parse(String... args) throws Exception {
        return DefaultParser.builder().get().parse(Moves.addTo(new Options()), args);
    }

    private record Asked(boolean confirmed, String stderr) {
    }

    private static Asked ask(String stdin) throws IOException {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(in, OutputStream.nullOutputStream(), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        boolean confirmed = Moves.confirmed(io, "Move 3 slots? [y/N] ");
        return new Asked(confirmed, err.toString(StandardCharsets.UTF_8));
    }
}
