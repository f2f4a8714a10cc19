package io.reslot.bench;

import io.lettuce.core.cluster.RedisClusterClient;
import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.RedisServerBinary;
import io.reslot.slot.KeySlot;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * End-to-end reshard: how long {@code reslot reshard} and {@code redis-cli --cluster reshard} take to move the same
 * slots holding the same keys, what an application client sees meanwhile, and whether anything was lost. This is
 * the comparison reslot's mover exists for; the JMH benchmarks in this module measure only pieces of it.
 *
 * <p>Scenarios ({@link Scenario}): {@code spread}, N untagged 100-byte keys over all slots, 3 masters plus an empty
 * one added, 5461 slots (a third) move from the three to it; {@code hot}, N keys in slot 0 under one hash tag, that
 * slot moves to another master; {@code large}, like {@code spread} with 10 KB values. Tools ({@link Tool}):
 * {@code redis-cli} with its default 10 keys per {@code MIGRATE}, {@code redis-cli-1000} with
 * {@code --cluster-pipeline 1000}, and {@code reslot} through a command template (default
 * {@value ReshardOptions#DEFAULT_RESLOT_CMD}).
 *
 * <p>Each tool run gets a fresh sandbox cluster ({@link LocalCluster}, bundled Redis 7.0 or 6.2, loopback only)
 * loaded with the same keys by pipelined Lettuce; the load time is reported but not measured. Then, while the tool
 * runs as an external process (its output in {@code --log-dir}), a {@link LatencyProbe} alternates {@code SET} and
 * {@code GET} on keys of the moving slots and records latencies. <b>Wall time</b> is the tool process's, start to
 * exit, so it includes redis-cli's cluster check and the JVM start of reslot's CLI (a few hundred ms). Keys/s and
 * MB/s count the keys of the slots that changed owner.
 *
 * <p>After each run it verifies, without reslot's code: the tool exited 0; within 30 s all nodes agree on every
 * slot's owner, report {@code cluster_state:ok} and have no open ({@code [...]}) slot; the target owns its slots
 * before plus the slots asked for (and, for {@code hot}, slot 0); the masters' {@code DBSIZE} sum is N; a sample of
 * up to 20,000 keys {@code EXISTS}; the probe lost no acknowledged write and read nothing older than its last
 * acknowledged write. Any failure marks the row FAIL and the process exits 1.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * ./reslot --version                                 # builds the CLI for the default --reslot-cmd
 * java -cp benchmarks/target/benchmarks.jar io.reslot.bench.ReshardBenchmark --out reshard.md
 * java -cp benchmarks/target/benchmarks.jar io.reslot.bench.ReshardBenchmark \
 *     --scenarios spread,hot --keys 200000 --tools redis-cli,redis-cli-1000
 * </pre>
 * Run from the repository root (the default reslot command is {@code ./reslot}, the launcher users run, with its JVM
 * options); {@code --help}
 * lists the options. A full default run loads 1 M keys six times and 200 MB three times; expect 10–20 minutes.
 */
public final class ReshardBenchmark {
    private static final Duration AGREEMENT_TIMEOUT = Duration.ofSeconds(30);
    private static final int PROBE_KEYS = 1000;

    private final ReshardOptions options;
    private final RedisServerBinary redis;

    private ReshardBenchmark(ReshardOptions options, RedisServerBinary redis) {
        this.options = options;
        this.redis = redis;
    }

    public static void main(String[] args) throws Exception {
        ReshardOptions options;
        try {
            options = ReshardOptions.parse(args);
        } catch (ReshardOptions.HelpRequested e) {
            System.out.println(ReshardOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("ReshardBenchmark: " + e.getMessage());
            System.err.println(ReshardOptions.USAGE);
            System.exit(2);
            return;
        }
        RedisServerBinary redis = RedisServerBinary.bundled(BundledRedis.of(options.redis()));
        List<Report.Row> rows = new ReshardBenchmark(options, redis).runAll();
        String report = Report.markdown(context(options, redis), rows);
        System.out.print(report);
        if (options.out().isPresent()) {
            Files.writeString(options.out().get(), report, StandardCharsets.UTF_8);
        }
        System.exit(rows.stream().allMatch(Report.Row::verified) ? 0 : 1);
    }

    private List<Report.Row> runAll() throws InterruptedException {
        List<Report.Row> rows = new ArrayList<>();
        for (Scenario scenario : options.scenarios()) {
            int keys = options.keysOf(scenario);
            int[] keysPerSlot = scenario.keysPerSlot(keys);
            for (Tool tool : options.tools()) {
                System.err.printf("== %s / %s: %,d keys of %d bytes%n", scenario.label(), tool.label(), keys,
                        scenario.valueSize());
                Report.Row row = runOnce(scenario, tool, keys, keysPerSlot);
                System.err.println(Report.markdown(List.of(), List.of(row)));
                rows.add(row);
            }
        }
        return rows;
    }

    /** One tool on a fresh cluster; never throws for a failure of the tool or the cluster, it reports it. */
    private Report.Row runOnce(Scenario scenario, Tool tool, int keys, int[] keysPerSlot)
            throws InterruptedException {
        double load = Double.NaN;
        try (LocalCluster cluster = scenario.start(redis, options.replicas())) {
            RedisClusterClient client = cluster.clusterClient();
            load = ClusterCheck.load(cluster, scenario, keys);
            ClusterNode seed = cluster.masters().get(0);
            ClusterView before = ClusterCheck.view(cluster, seed);
            Scenario.Move move = scenario.move(seed.address(), before);
            List<String> command = tool.command(move, options.redisCli(), options.reslotCmd());
            Path log = options.logDir().resolve(scenario.label() + "-" + tool.label() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".log");
            System.err.println("   loaded in " + String.format("%.1f s", load) + "; running " + String.join(" ",
                    command) + " > " + log);

            LatencyProbe probe = LatencyProbe.start(client, probeKeys(scenario, keys, move.predictedSlots()),
                    scenario.valueSize(), options.probeRate(), Duration.ofSeconds(options.toolTimeout()));
            ToolRun run;
            long lost;
            try {
                run = ToolRun.run(command, log, Duration.ofSeconds(options.toolTimeout()));
            } finally {
                probe.stop();
            }
            try {
                lost = probe.lostWrites();
            } finally {
                probe.close();
            }

            List<String> problems = new ArrayList<>();
            if (!run.succeeded()) {
                problems.add((run.exitCode() < 0 ? "killed after " + options.toolTimeout() + " s"
                        : "exit code " + run.exitCode()) + ", see " + log);
            }
            ClusterCheck.Agreement agreement = ClusterCheck.awaitAgreement(cluster, AGREEMENT_TIMEOUT);
            problems.addAll(agreement.problems());
            ClusterView after = agreement.view();
            int expected = before.slotCount(move.to()) + move.slots();
            if (after.slotCount(move.to()) != expected) {
                problems.add("target owns " + after.slotCount(move.to()) + " slots, expected " + expected);
            }
            if (scenario == Scenario.HOT && !move.to().equals(after.owners()[0])) {
                problems.add("slot 0 is not on the target");
            }
            long dbsize = ClusterCheck.keyCount(cluster);
            if (dbsize != keys) {
                problems.add("the masters hold " + dbsize + " keys, expected " + keys);
            }
            long missing = ClusterCheck.missingKeys(client, scenario, keys);
            if (missing > 0) {
                problems.add(missing + " sampled keys missing");
            }
            if (lost > 0) {
                problems.add(lost + " acknowledged writes lost");
            }
            if (probe.staleReads() > 0) {
                problems.add(probe.staleReads() + " reads older than the last acknowledged write");
            }
            if (probe.errors() > 0) {
                System.err.println("   client errors: " + probe.errors() + ", first: " + probe.firstError());
            }

            List<Integer> moved = after.changedSince(before);
            long keysMoved = moved.stream().mapToLong(s -> keysPerSlot[s]).sum();
            Histogram h = probe.latencyMicros();
            return new Report.Row(scenario.label(), tool.label(), keys, moved.size(), keysMoved,
                    keysMoved * scenario.valueSize(), run.seconds(), h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, probe.ops(), probe.errors(), lost,
                    load, problems);
        } catch (RuntimeException | IOException e) {
            e.printStackTrace();
            return Report.Row.failed(scenario.label(), tool.label(), keys, load, e.toString());
        }
    }

    /** Up to 1000 of the loaded keys whose slots are expected to move, in key order. */
    private static List<String> probeKeys(Scenario scenario, int keys, List<Integer> slots) {
        Set<Integer> moving = new HashSet<>(slots);
        List<String> probe = new ArrayList<>(PROBE_KEYS);
        for (int i = 0; i < keys && probe.size() < PROBE_KEYS; i++) {
            String key = scenario.key(i);
            if (moving.contains(KeySlot.of(key))) {
                probe.add(key);
            }
        }
        return probe;
    }

    /** The lines above the table: when, where and with what it ran. */
    private static List<String> context(ReshardOptions options, RedisServerBinary redis) {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // not Linux; leave it unknown
        }
        return List.of(String.format("ReshardBenchmark %s: %d cores (%s), Java %s, %s, %s; client probe %d ops/s"
                + (options.replicas() > 0 ? "; " + options.replicas() + " replica(s) per initial master" : ""),
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16),
                Runtime.getRuntime().availableProcessors(), cpu, System.getProperty("java.version"), redis,
                redisCliVersion(options.redisCli()), options.probeRate()));
    }

    private static String redisCliVersion(String redisCli) {
        try {
            Process p = new ProcessBuilder(redisCli, "--version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? version : redisCli + " (no version)";
        } catch (IOException e) {
            return redisCli + " (not runnable: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return redisCli;
        }
    }
}
