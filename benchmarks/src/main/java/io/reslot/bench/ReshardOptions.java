package io.reslot.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of {@link ReshardBenchmark}, parsed. Immutable.
 *
 * @param scenarios   what to move, in the order given
 * @param keys        keys loaded by {@link Scenario#SPREAD} and {@link Scenario#HOT}
 * @param largeKeys   keys loaded by {@link Scenario#LARGE}
 * @param tools       who moves them, in the order given
 * @param redis       bundled redis-server version: {@code 7.0} or {@code 6.2}
 * @param out         file to write the markdown report to as well, if any
 * @param reslotCmd   command template for {@link Tool#RESLOT}; see {@link Tool#command}
 * @param redisCli    the redis-cli executable
 * @param logDir      where each tool run's output goes
 * @param probeRate   operations per second of the concurrent client
 * @param toolTimeout seconds one tool run may take before it is killed
 * @param replicas    replicas per master of the initial masters (not of the master {@code spread} adds)
 */
record ReshardOptions(List<Scenario> scenarios, int keys, int largeKeys, List<Tool> tools, String redis,
                             Optional<Path> out, String reslotCmd, String redisCli, Path logDir, int probeRate,
                             int toolTimeout, int replicas) {
    static final int DEFAULT_KEYS = 1_000_000;
    /** 20,000 × 10 KB = 200 MB of values per cluster: comfortably in memory on a small machine. */
    static final int DEFAULT_LARGE_KEYS = 20_000;
    static final String DEFAULT_RESLOT_CMD =
            "./reslot -c {seed} reshard --to {to} --slots {slots} --from {from} --yes";
    static final String DEFAULT_REDIS = "7.0";
    static final String DEFAULT_REDIS_CLI = "redis-cli";
    static final Path DEFAULT_LOG_DIR = Path.of("target", "reshard-logs");
    static final int DEFAULT_PROBE_RATE = 500;
    static final int DEFAULT_TOOL_TIMEOUT = 1800;

    static final String USAGE = String.join("\n",
            "usage: java -cp benchmarks/target/benchmarks.jar io.reslot.bench.ReshardBenchmark [options]",
            "  --scenarios LIST      spread,hot,large (default: all three)",
            "  --keys N              keys of spread and hot (default " + DEFAULT_KEYS + ")",
            "  --large-keys N        keys of large, 10 KB each (default " + DEFAULT_LARGE_KEYS + ")",
            "  --tools LIST          redis-cli,redis-cli-1000,reslot (default: all three)",
            "  --redis VERSION       bundled redis-server: 7.0 or 6.2 (default " + DEFAULT_REDIS + ")",
            "  --out FILE            also write the markdown report to FILE",
            "  --reslot-cmd CMD      reslot's command; {seed} {from} {to} {slots} are replaced; split on spaces",
            "                        (default: " + DEFAULT_RESLOT_CMD + ")",
            "  --redis-cli PATH      redis-cli executable (default " + DEFAULT_REDIS_CLI + ")",
            "  --log-dir DIR         output of every tool run (default " + DEFAULT_LOG_DIR + ")",
            "  --probe-rate N        concurrent client ops per second (default " + DEFAULT_PROBE_RATE + ")",
            "  --tool-timeout S      seconds before a tool run is killed (default " + DEFAULT_TOOL_TIMEOUT + ")",
            "  --replicas N          replicas per initial master, for --wait-replicas runs of hot (default 0)",
            "  --help                this text");

    ReshardOptions {
        scenarios = List.copyOf(scenarios);
        tools = List.copyOf(tools);
    }

    /** Thrown for {@code --help}: the caller prints {@link #USAGE} and exits 0. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super("help", null, false, false);
        }
    }

    /**
     * @param args the arguments of {@code main}
     * @return the options, defaults filled in
     * @throws IllegalArgumentException naming the option and value that are wrong
     * @throws HelpRequested            for {@code --help} or {@code -h}
     */
    static ReshardOptions parse(String... args) {
        List<Scenario> scenarios = List.of(Scenario.values());
        int keys = DEFAULT_KEYS;
        int largeKeys = DEFAULT_LARGE_KEYS;
        List<Tool> tools = List.of(Tool.values());
        String redis = DEFAULT_REDIS;
        Path out = null;
        String reslotCmd = DEFAULT_RESLOT_CMD;
        String redisCli = DEFAULT_REDIS_CLI;
        Path logDir = DEFAULT_LOG_DIR;
        int probeRate = DEFAULT_PROBE_RATE;
        int toolTimeout = DEFAULT_TOOL_TIMEOUT;
        int replicas = 0;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new HelpRequested();
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(isKnown(option) ? option + " needs a value"
                        : "unknown option '" + option + "'");
            }
            String value = args[++i];
            switch (option) {
                case "--scenarios" -> scenarios = list(option, value, Scenario::of);
                case "--keys" -> keys = positive(option, value);
                case "--large-keys" -> largeKeys = positive(option, value);
                case "--tools" -> tools = list(option, value, Tool::of);
                case "--redis" -> redis = redisVersion(value);
                case "--out" -> out = Path.of(value);
                case "--reslot-cmd" -> reslotCmd = reslotCmd(value);
                case "--redis-cli" -> redisCli = nonBlank(option, value);
                case "--log-dir" -> logDir = Path.of(nonBlank(option, value));
                case "--probe-rate" -> probeRate = positive(option, value);
                case "--tool-timeout" -> toolTimeout = positive(option, value);
                case "--replicas" -> replicas = positive(option, value);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new ReshardOptions(scenarios, keys, largeKeys, tools, redis, Optional.ofNullable(out), reslotCmd,
                redisCli, logDir, probeRate, toolTimeout, replicas);
    }

    /** @return how many keys {@code scenario} loads */
    int keysOf(Scenario scenario) {
        return scenario == Scenario.LARGE ? largeKeys : keys;
    }

    private static boolean isKnown(String option) {
        return USAGE.contains("  " + option + " ");
    }

    private interface Lookup<T> {
        T of(String name);
    }

    private static <T> List<T> list(String option, String value, Lookup<T> lookup) {
        Set<T> items = new LinkedHashSet<>();
        for (String name : value.split(",", -1)) {
            try {
                items.add(lookup.of(name.trim().toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }
        return new ArrayList<>(items);
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive whole number, not '" + value + "'");
    }

    private static String redisVersion(String value) {
        if (!value.equals("7.0") && !value.equals("6.2")) {
            throw new IllegalArgumentException("--redis must be 7.0 or 6.2 (the bundled versions), not '" + value
                    + "'");
        }
        return value;
    }

    private static String reslotCmd(String value) {
        String cmd = nonBlank("--reslot-cmd", value);
        for (String placeholder : List.of("{seed}", "{to}", "{slots}")) {
            if (!cmd.contains(placeholder)) {
                throw new IllegalArgumentException("--reslot-cmd must contain " + placeholder + ": '" + value + "'");
            }
        }
        return cmd;
    }

    private static String nonBlank(String option, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " must not be empty");
        }
        return value.trim();
    }
}
