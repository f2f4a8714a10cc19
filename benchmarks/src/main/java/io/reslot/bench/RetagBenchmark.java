package io.reslot.bench;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.RedisServerBinary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end retag: how long {@code reslot retag} takes to give N keys hash tags, next to the loop people write
 * first — per key, {@code DUMP}, {@code PTTL}, {@code RESTORE} under the new name, {@code DEL}, one command at a time
 * through a Lettuce cluster connection — on the same data.
 *
 * <p>Each tool gets a fresh sandbox cluster of 3 masters (bundled Redis, loopback only) loaded with the same keys:
 * {@code user:<id>:profile} and {@code user:<id>:cart} with 100-byte values, every tenth with a one-hour TTL. Both
 * rename them with the rule {@code ^user:(\d+):(.*)$} → {@code user:{$1}:$2}, so nearly every key changes slot.
 * reslot runs as an external process (its output in {@code --log-dir}); its wall time includes the JVM's start. The
 * naive loop runs in this JVM, scanning each master and renaming what it finds.
 *
 * <p>Verified after each run, without reslot's code: the masters hold N keys; a full {@code SCAN} finds no key left
 * under an old name; a sample of 20,000 keys holds its value under its new name, with a TTL where it had one.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * ./reslot --version                                 # builds the CLI for the default --reslot-cmd
 * java -cp benchmarks/target/benchmarks.jar io.reslot.bench.RetagBenchmark --out retag.md
 * java -cp benchmarks/target/benchmarks.jar io.reslot.bench.RetagBenchmark --keys 200000 --tools reslot
 * </pre>
 * Run from the repository root; {@code --help} lists the options. At the default 1 M keys the naive loop takes a few
 * minutes.
 */
public final class RetagBenchmark {
    static final String RULE_REGEX = "^user:(\\d+):(.*)$";
    static final String RULE_TO = "user:{$1}:$2";
    static final int VALUE_SIZE = 100;
    /** One key in this many gets a TTL. */
    static final int TTL_EVERY = 10;
    static final Duration TTL = Duration.ofHours(1);
    private static final Pattern OLD_NAME = Pattern.compile(RULE_REGEX);
    private static final int SAMPLE = 20_000;
    private static final int LOAD_BATCH = 10_000;
    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);

    private final Options options;
    private final RedisServerBinary redis;

    private RetagBenchmark(Options options, RedisServerBinary redis) {
        this.options = options;
        this.redis = redis;
    }

    /** The command line, parsed. */
    record Options(int keys, List<String> tools, String redis, Optional<Path> out, String reslotCmd, Path logDir,
                   int toolTimeout) {
        static final int DEFAULT_KEYS = 1_000_000;
        static final String DEFAULT_RESLOT_CMD = "./reslot -c {seed} retag --match user:* --regex " + RULE_REGEX
                + " --to " + RULE_TO + " --yes";
        static final List<String> TOOLS = List.of("reslot", "naive");
        static final String USAGE = String.join("\n",
                "usage: java -cp benchmarks/target/benchmarks.jar io.reslot.bench.RetagBenchmark [options]",
                "  --keys N             keys to load and retag (default " + DEFAULT_KEYS + ")",
                "  --tools LIST         reslot,naive (default: both)",
                "  --redis VERSION      bundled redis-server: 7.0 or 6.2 (default 7.0)",
                "  --out FILE           also write the markdown report to FILE",
                "  --reslot-cmd CMD     reslot's command; {seed} is replaced; split on spaces",
                "                       (default: " + DEFAULT_RESLOT_CMD + ")",
                "  --log-dir DIR        reslot's output (default target/retag-logs)",
                "  --tool-timeout S     seconds before a run is stopped (default 1800)",
                "  --help               this text");

        Options {
            tools = List.copyOf(tools);
        }

        /**
         * @throws IllegalArgumentException naming the option and value that are wrong; with the message "help" for
         *     {@code --help}
         */
        static Options parse(String... args) {
            int keys = DEFAULT_KEYS;
            List<String> tools = TOOLS;
            String redis = "7.0";
            Optional<Path> out = Optional.empty();
            String reslotCmd = DEFAULT_RESLOT_CMD;
            Path logDir = Path.of("target", "retag-logs");
            int toolTimeout = 1800;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help") || name.equals("-h")) {
                    throw new IllegalArgumentException("help");
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--keys" -> keys = positive(name, value);
                    case "--tools" -> {
                        tools = new ArrayList<>();
                        for (String tool : value.split(",")) {
                            String t = tool.strip().toLowerCase(Locale.ROOT);
                            if (!TOOLS.contains(t)) {
                                throw new IllegalArgumentException("--tools: unknown tool '" + tool + "'; known: "
                                        + String.join(", ", TOOLS));
                            }
                            tools.add(t);
                        }
                    }
                    case "--redis" -> {
                        if (!value.equals("7.0") && !value.equals("6.2")) {
                            throw new IllegalArgumentException("--redis: '" + value + "'; give 7.0 or 6.2");
                        }
                        redis = value;
                    }
                    case "--out" -> out = Optional.of(Path.of(value));
                    case "--reslot-cmd" -> reslotCmd = value;
                    case "--log-dir" -> logDir = Path.of(value);
                    case "--tool-timeout" -> toolTimeout = positive(name, value);
                    default -> throw new IllegalArgumentException("unknown option '" + name + "'");
                }
            }
            return new Options(keys, tools, redis, out, reslotCmd, logDir, toolTimeout);
        }

        private static int positive(String name, String value) {
            try {
                int n = Integer.parseInt(value.replace("_", ""));
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + ": '" + value + "' is not a positive whole number");
        }
    }

    /**
     * One run.
     *
     * @param seconds  wall time of the retag, for reslot including its JVM's start
     * @param problems why verification failed; empty when it passed
     */
    record Row(String tool, int keys, double seconds, List<String> problems) {
        double keysPerSecond() {
            return keys / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            boolean help = e.getMessage().equals("help");
            (help ? System.out : System.err).println((help ? "" : "RetagBenchmark: " + e.getMessage() + "\n")
                    + Options.USAGE);
            System.exit(help ? 0 : 2);
            return;
        }
        RedisServerBinary redis = RedisServerBinary.bundled(BundledRedis.of(options.redis()));
        List<Row> rows = new ArrayList<>();
        for (String tool : options.tools()) {
            System.err.printf("== %s: %,d keys of %d bytes%n", tool, options.keys(), VALUE_SIZE);
            Row row = new RetagBenchmark(options, redis).runOnce(tool);
            System.err.println(markdown(List.of(), List.of(row)));
            rows.add(row);
        }
        String report = markdown(List.of(String.format("RetagBenchmark %s: %d cores, Java %s, %s",
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), redis)), rows);
        System.out.print(report);
        if (options.out().isPresent()) {
            Files.writeString(options.out().get(), report, StandardCharsets.UTF_8);
        }
        System.exit(rows.stream().allMatch(r -> r.problems().isEmpty()) ? 0 : 1);
    }

    private Row runOnce(String tool) throws InterruptedException {
        try (LocalCluster cluster = LocalCluster.builder().masters(3).redis(redis).start()) {
            long start = System.nanoTime();
            load(cluster, options.keys());
            System.err.printf("   loaded in %.1f s%n", (System.nanoTime() - start) / 1e9);
            List<String> problems = new ArrayList<>();
            double seconds;
            if (tool.equals("reslot")) {
                ClusterNode seed = cluster.masters().get(0);
                List<String> command = List.of(options.reslotCmd().replace("{seed}", seed.address()).split(" "));
                Path log = options.logDir().resolve("retag-" + LocalDateTime.now()
                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".log");
                System.err.println("   running " + String.join(" ", command) + " > " + log);
                ToolRun run = ToolRun.run(command, log, Duration.ofSeconds(options.toolTimeout()));
                seconds = run.seconds();
                if (!run.succeeded()) {
                    problems.add("exit code " + run.exitCode() + ", see " + log);
                }
            } else {
                start = System.nanoTime();
                naiveRetag(cluster);
                seconds = (System.nanoTime() - start) / 1e9;
            }
            problems.addAll(verify(cluster, options.keys()));
            return new Row(tool, options.keys(), seconds, problems);
        } catch (RuntimeException | IOException e) {
            e.printStackTrace();
            return new Row(tool, options.keys(), Double.NaN, List.of(e.toString()));
        }
    }

    /** Key {@code i}: users' profiles and carts, two keys per user id. */
    static String key(int i) {
        return "user:" + (i / 2) + (i % 2 == 0 ? ":profile" : ":cart");
    }

    /** The name the rule gives {@code key}, or {@code null} if it does not match. */
    static String newName(String key) {
        Matcher m = OLD_NAME.matcher(key);
        return m.matches() ? "user:{" + m.group(1) + "}:" + m.group(2) : null;
    }

    /** The value of key {@code i}: 100 bytes that differ from key to key. */
    static String value(int i) {
        String id = Integer.toString(i);
        return id + "v".repeat(VALUE_SIZE - id.length());
    }

    /** Loads keys {@code 0 .. n-1}, pipelined over one plain connection per master. */
    static void load(LocalCluster cluster, int n) {
        SetArgs withTtl = SetArgs.Builder.px(TTL.toMillis());
        ClusterCheck.writeAll(cluster, n, LOAD_BATCH, RetagBenchmark::key, (i, key, node) ->
                i % TTL_EVERY == 0 ? node.set(key, value(i), withTtl) : node.set(key, value(i)));
    }

    /**
     * The loop a hand-written script runs: SCAN each master; for every key the rule matches, {@code DUMP},
     * {@code PTTL}, {@code RESTORE} under the new name, {@code DEL}; one command at a time.
     */
    private static void naiveRetag(LocalCluster cluster) {
        RedisClusterClient client = cluster.clusterClient();
        try (StatefulRedisClusterConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisAdvancedClusterCommands<byte[], byte[]> keys = connection.sync();
            for (ClusterNode master : cluster.masters()) {
                RedisCommands<byte[], byte[]> node = connection.getConnection(master.nodeId()).sync();
                ScanArgs match = ScanArgs.Builder.matches("user:*").limit(1000);
                KeyScanCursor<byte[]> page = node.scan(match);
                while (true) {
                    for (byte[] key : page.getKeys()) {
                        String to = newName(new String(key, StandardCharsets.UTF_8));
                        if (to == null) {
                            continue; // already renamed: the new name landed on this master
                        }
                        byte[] payload = keys.dump(key);
                        if (payload == null) {
                            continue;
                        }
                        long ttl = keys.pttl(key);
                        keys.restore(to.getBytes(StandardCharsets.UTF_8), payload,
                                RestoreArgs.Builder.ttl(Math.max(ttl, 0)).replace());
                        keys.del(key);
                    }
                    if (page.isFinished()) {
                        break;
                    }
                    page = node.scan(ScanCursor.of(page.getCursor()), match);
                }
            }
        }
    }

    /** What is wrong with the cluster after a retag of keys {@code 0 .. n-1}; empty when nothing is. */
    static List<String> verify(LocalCluster cluster, int n) {
        List<String> problems = new ArrayList<>();
        long count = ClusterCheck.keyCount(cluster);
        if (count != n) {
            problems.add("the masters hold " + count + " keys, expected " + n);
        }
        long old = 0;
        for (ClusterNode master : cluster.masters()) {
            try (StatefulRedisConnection<String, String> c = cluster.connect(master)) {
                ScanArgs match = ScanArgs.Builder.matches("user:[0-9]*").limit(1000);
                KeyScanCursor<String> page = c.sync().scan(match);
                old += page.getKeys().size();
                while (!page.isFinished()) {
                    page = c.sync().scan(ScanCursor.of(page.getCursor()), match);
                    old += page.getKeys().size();
                }
            }
        }
        if (old > 0) {
            problems.add(old + " keys left under their old names");
        }
        RedisClusterClient client = cluster.clusterClient();
        client.refreshPartitions();
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            int step = Math.max(1, n / SAMPLE);
            List<Integer> sample = new ArrayList<>();
            List<RedisFuture<String>> values = new ArrayList<>();
            List<RedisFuture<Long>> ttls = new ArrayList<>();
            for (int i = 0; i < n; i += step) {
                sample.add(i);
                values.add(connection.async().get(newName(key(i))));
                ttls.add(connection.async().pttl(newName(key(i))));
            }
            await(values);
            await(ttls);
            long wrong = 0;
            for (int j = 0; j < sample.size(); j++) {
                int i = sample.get(j);
                long ttl = ttls.get(j).toCompletableFuture().join();
                boolean ttlRight = i % TTL_EVERY == 0 ? ttl > 0 && ttl <= TTL.toMillis() : ttl == -1;
                if (!value(i).equals(values.get(j).toCompletableFuture().join()) || !ttlRight) {
                    wrong++;
                }
            }
            if (wrong > 0) {
                problems.add(wrong + " of " + sample.size() + " sampled keys have a wrong value or TTL");
            }
        }
        return problems;
    }

    private static void await(List<? extends RedisFuture<?>> pending) {
        if (!LettuceFutures.awaitAll(BATCH_TIMEOUT, pending.toArray(new RedisFuture<?>[0]))) {
            throw new IllegalStateException(pending.size() + " pipelined commands did not complete within "
                    + BATCH_TIMEOUT);
        }
    }

    /** The report: {@code context} lines, then a table with a row per run and the speed-up over the naive loop. */
    static String markdown(List<String> context, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        context.forEach(line -> out.append(line).append("\n\n"));
        double naive = rows.stream().filter(r -> r.tool().equals("naive")).mapToDouble(Row::keysPerSecond)
                .findFirst().orElse(Double.NaN);
        out.append("| tool | keys | wall (s) | keys/s | × naive | verified |\n|---|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %,.0f | %.1f× | %s |%n", r.tool(), r.keys(),
                    r.seconds(), r.keysPerSecond(), r.keysPerSecond() / naive,
                    r.problems().isEmpty() ? "OK" : "FAIL: " + String.join("; ", r.problems())));
        }
        return out.toString();
    }
}
