package io.reslot.cli;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {

    @Test
    void printsEachPhaseAndTheTotal() {
        assertThat(DemoCommand.phases(List.of(new DemoCommand.Phase("start 3 masters", 2389),
                new DemoCommand.Phase("load", 60)), 2500)).isEqualTo("""
                PHASE            TIME
                start 3 masters  2.4 s
                load             0.1 s
                total            2.5 s
                """);
    }

    @Test
    void showsItsHelpWithAnExample() {
        Cli.Result result = Cli.run("demo", "--help");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).startsWith("usage: reslot [global options] demo [--keys N] [--direct]\n")
                .contains("reslot demo --keys 50000 --direct", "--keys N", "--direct");
        assertThat(result.stdout().lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
    }

    @Test
    void rejectsABadKeyCountBeforeStartingAnything() {
        Cli.Result result = Cli.run("demo", "--keys", "0");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("reslot: --keys 0: give a whole number from 1 to 10000000\n");
    }

    @Test
    void takesNoArguments() {
        assertThat(Cli.run("demo", "now").exit()).isEqualTo(2);
    }
}
