package io.reslot.bench;

import io.reslot.slot.KeySlot;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of {@link ReshardBenchmark} that need no Redis: options, command lines, CLUSTER NODES, the report. */
class ReshardBenchmarkTest {
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);

    @Test
    void parsesNoArgumentsToTheDefaults() {
        ReshardOptions o = ReshardOptions.parse();

        assertThat(o.scenarios()).containsExactly(Scenario.SPREAD, Scenario.HOT, Scenario.LARGE);
        assertThat(o.tools()).containsExactly(Tool.REDIS_CLI, Tool.REDIS_CLI_1000, Tool.RESLOT);
        assertThat(o.keysOf(Scenario.SPREAD)).isEqualTo(1_000_000);
        assertThat(o.keysOf(Scenario.HOT)).isEqualTo(1_000_000);
        assertThat(o.keysOf(Scenario.LARGE)).isEqualTo(20_000);
        assertThat(o.redis()).isEqualTo("7.0");
        assertThat(o.out()).isEmpty();
        assertThat(o.reslotCmd()).isEqualTo(
                "./reslot -c {seed} reshard --to {to} --slots {slots} --from {from} --yes");
        assertThat(o.probeRate()).isEqualTo(500);
    }

    @Test
    void parsesEveryOption() {
        ReshardOptions o = ReshardOptions.parse("--scenarios", "hot,Spread", "--keys", "200_000", "--large-keys",
                "5000", "--tools", "redis-cli-1000, redis-cli", "--redis", "6.2", "--out", "r.md", "--reslot-cmd",
                "reslot -c {seed} reshard --to {to} --slots {slots}", "--redis-cli", "/usr/bin/redis-cli",
                "--log-dir", "logs", "--probe-rate", "100", "--tool-timeout", "60");

        assertThat(o.scenarios()).containsExactly(Scenario.HOT, Scenario.SPREAD);
        assertThat(o.keysOf(Scenario.HOT)).isEqualTo(200_000);
        assertThat(o.keysOf(Scenario.LARGE)).isEqualTo(5000);
        assertThat(o.tools()).containsExactly(Tool.REDIS_CLI_1000, Tool.REDIS_CLI);
        assertThat(o.redis()).isEqualTo("6.2");
        assertThat(o.out()).isEqualTo(Optional.of(Path.of("r.md")));
        assertThat(o.reslotCmd()).isEqualTo("reslot -c {seed} reshard --to {to} --slots {slots}");
        assertThat(o.redisCli()).isEqualTo("/usr/bin/redis-cli");
        assertThat(o.logDir()).isEqualTo(Path.of("logs"));
        assertThat(o.probeRate()).isEqualTo(100);
        assertThat(o.toolTimeout()).isEqualTo(60);
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        assertThatThrownBy(() -> ReshardOptions.parse("--keys", "0")).hasMessageContaining("--keys")
                .hasMessageContaining("'0'");
        assertThatThrownBy(() -> ReshardOptions.parse("--keys", "many")).hasMessageContaining("'many'");
        assertThatThrownBy(() -> ReshardOptions.parse("--scenarios", "spread,cold"))
                .hasMessageContaining("--scenarios").hasMessageContaining("'cold'");
        assertThatThrownBy(() -> ReshardOptions.parse("--tools", "jedis")).hasMessageContaining("'jedis'");
        assertThatThrownBy(() -> ReshardOptions.parse("--redis", "7.2")).hasMessageContaining("'7.2'");
        assertThatThrownBy(() -> ReshardOptions.parse("--reslot-cmd", "reslot reshard --to {to}"))
                .hasMessageContaining("{seed}");
        assertThatThrownBy(() -> ReshardOptions.parse("--keys")).hasMessage("--keys needs a value");
        assertThatThrownBy(() -> ReshardOptions.parse("--fast", "yes")).hasMessage("unknown option '--fast'");
        assertThatThrownBy(() -> ReshardOptions.parse("--keys", "10", "--help"))
                .isInstanceOf(ReshardOptions.HelpRequested.class);
    }

    @Test
    void buildsTheRedisCliCommands() {
        Scenario.Move spread = new Scenario.Move("127.0.0.1:7000", List.of(), C, 5461, List.of());
        Scenario.Move hot = new Scenario.Move("127.0.0.1:7000", List.of(A), B, 1, List.of(0));

        assertThat(Tool.REDIS_CLI.command(spread, "redis-cli", "")).containsExactly("redis-cli", "--cluster",
                "reshard", "127.0.0.1:7000", "--cluster-from", "all", "--cluster-to", C, "--cluster-slots", "5461",
                "--cluster-yes");
        assertThat(Tool.REDIS_CLI_1000.command(hot, "/usr/bin/redis-cli", "")).containsExactly(
                "/usr/bin/redis-cli", "--cluster", "reshard", "127.0.0.1:7000", "--cluster-from", A, "--cluster-to",
                B, "--cluster-slots", "1", "--cluster-yes", "--cluster-pipeline", "1000");
    }

    @Test
    void fillsTheReslotTemplate() {
        Scenario.Move hot = new Scenario.Move("127.0.0.1:7000", List.of(A, B), C, 1, List.of(0));

        assertThat(Tool.RESLOT.command(hot, "redis-cli", ReshardOptions.DEFAULT_RESLOT_CMD)).containsExactly(
                "./reslot", "-c", "127.0.0.1:7000", "reshard", "--to", C, "--slots",
                "1", "--from", A + "," + B, "--yes");
    }

    @Test
    void parsesClusterNodesWithOpenSlots() {
        ClusterView view = ClusterView.parse(String.join("\n",
                A + " 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460 [5460->-" + B + "]",
                B + " 127.0.0.1:7001@17001 master - 0 1 2 connected 5461-10922 [5460-<-" + A + "]",
                C + " 127.0.0.1:7002@17002 master - 0 1 3 connected 10923 10924-16383",
                "d".repeat(40) + " 127.0.0.1:7003@17003 master - 0 1 0 connected", ""));

        assertThat(view.masters()).containsExactly(A, B, C, "d".repeat(40));
        assertThat(view.slotCount(A)).isEqualTo(5461);
        assertThat(view.slotCount(C)).isEqualTo(5461);
        assertThat(view.slotCount("d".repeat(40))).isZero();
        assertThat(view.openSlots()).containsExactly("[5460->-" + B + "]", "[5460-<-" + A + "]");
        assertThat(view.lowestSlots(B, 2)).containsExactly(5461, 5462);
        assertThatThrownBy(() -> ClusterView.parse(A + " 127.0.0.1:7000@17000 master - 0 0 1 connected 16384"))
                .hasMessageContaining("'16384'");
    }

    @Test
    void predictsTheLowestSlotsOfEverySourceAndFindsTheEmptyTarget() {
        ClusterView view = ClusterView.parse(String.join("\n",
                A + " 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5461",
                B + " 127.0.0.1:7001@17001 master - 0 1 2 connected 5462-10922",
                C + " 127.0.0.1:7002@17002 master - 0 1 3 connected 10923-16383",
                "d".repeat(40) + " 127.0.0.1:7003@17003 master - 0 1 0 connected"));

        Scenario.Move spread = Scenario.SPREAD.move("127.0.0.1:7000", view);
        Scenario.Move hot = Scenario.HOT.move("127.0.0.1:7000", view);

        assertThat(spread.to()).isEqualTo("d".repeat(40));
        assertThat(spread.fromArgument()).isEqualTo("all");
        assertThat(spread.slots()).isEqualTo(5461);
        // floor(5461 * 5462 / 16384) = 1820 of A's, floor(5461 * 5461 / 16384) = 1820 of B's and of C's
        assertThat(spread.predictedSlots()).hasSize(5460).contains(0, 1819, 5462, 7281, 10923, 12742)
                .doesNotContain(1820, 5461, 7282, 12743);
        assertThat(hot.fromArgument()).isEqualTo(A);
        assertThat(hot.to()).isEqualTo(B);
        assertThat(hot.predictedSlots()).containsExactly(0);
        assertThat(KeySlot.of(Scenario.HOT.key(12345))).isZero();
    }

    @Test
    void readsTheSequenceOfProbeValues() {
        assertThat(LatencyProbe.sequence("p42:xxxx")).isEqualTo(42);
        assertThat(LatencyProbe.sequence("vvvv")).isEqualTo(-1);
        assertThat(LatencyProbe.sequence(null)).isEqualTo(-1);
        assertThat(LatencyProbe.sequence("pxx:")).isEqualTo(-1);
    }

    @Test
    void formatsTheReportAsAMarkdownTable() {
        Report.Row ok = new Report.Row("spread", "redis-cli-1000", 1_000_000, 5461, 333_318, 33_331_800, 12.5,
                0.25, 3.5, 120.04, 6250, 0, 0, 9.87, List.of());
        Report.Row failed = Report.Row.failed("hot", "reslot", 1_000_000, 4.2, "exit code 1, see x.log");

        String md = Report.markdown(List.of("machine: test"), List.of(ok, failed));

        assertThat(md.lines()).containsExactly(
                "machine: test",
                "",
                Report.HEADER,
                "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
                "| spread | redis-cli-1000 | 1,000,000 | 5,461 | 333,318 | 12.50 | 26,665 | 2.7 | 0.25 | 3.50 | 120.0 "
                        + "| 6,250 | 0 | 0 | OK | 9.9 |",
                "| hot | reslot | 1,000,000 | 0 | 0 | – | – | – | – | – | – | 0 | 0 | 0 | FAIL | 4.2 |",
                "",
                "hot / reslot FAIL: exit code 1, see x.log");
        assertThat(Report.HEADER.split("\\|", -1)).hasSize(18);
    }
}
