package io.reslot.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Who performs the reshard in {@link ReshardBenchmark}: an external command, run once per scenario. */
enum Tool {
    /** {@code redis-cli --cluster reshard} as most people run it: 10 keys per {@code MIGRATE}. */
    REDIS_CLI("redis-cli"),
    /** The same with {@code --cluster-pipeline 1000}: 1000 keys per {@code MIGRATE}. */
    REDIS_CLI_1000("redis-cli-1000"),
    /** {@code reslot reshard}, through the {@code --reslot-cmd} template. */
    RESLOT("reslot");

    private final String label;

    Tool(String label) {
        this.label = label;
    }

    /**
     * @throws IllegalArgumentException naming the unknown tool
     */
    static Tool of(String label) {
        for (Tool t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tool '" + label + "'; known: redis-cli, redis-cli-1000, reslot");
    }

    String label() {
        return label;
    }

    /**
     * The command line to run. For {@link #RESLOT}, {@code reslotCmd} is split on whitespace (no shell, no quoting)
     * and in each word {@code {seed}} becomes {@code host:port} of a node, {@code {from}} {@code all} or the source
     * node ids joined with commas, {@code {to}} the target node id and {@code {slots}} the number of slots.
     */
    List<String> command(Scenario.Move move, String redisCli, String reslotCmd) {
        if (this == RESLOT) {
            List<String> words = new ArrayList<>();
            for (String word : reslotCmd.trim().split("\\s+")) {
                words.add(word.replace("{seed}", move.seed()).replace("{from}", move.fromArgument())
                        .replace("{to}", move.to()).replace("{slots}", Integer.toString(move.slots())));
            }
            return words;
        }
        List<String> words = new ArrayList<>(Arrays.asList(redisCli, "--cluster", "reshard", move.seed(),
                "--cluster-from", move.fromArgument(), "--cluster-to", move.to(),
                "--cluster-slots", Integer.toString(move.slots()), "--cluster-yes"));
        if (this == REDIS_CLI_1000) {
            words.addAll(List.of("--cluster-pipeline", "1000"));
        }
        return words;
    }
}
