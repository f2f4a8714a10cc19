package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of the fault trials, one row per fault and operation, as the README's table shows it: written to
 * {@code target/fault-report.md} and printed when the suite ends.
 */
final class FaultReport {

    private final Map<String, Row> rows = new LinkedHashMap<>();

    /** Adds one trial's outcome. */
    synchronized void add(String fault, String operation, Trial trial) {
        rows.computeIfAbsent(fault + "\t" + operation, k -> new Row(fault, operation)).add(trial);
    }

    /**
     * One trial.
     *
     * @param finishedBy     how: {@code "run"} (uninterrupted), {@code "resume"}, {@code "re-run"}, {@code "fix"};
     *                       a step that did not complete says {@code "failed"}
     * @param keysLost       keys not as they were afterwards (lost, changed payload or expiry), on surviving masters
     * @param keysLostToFailover keys a master that died took with it
     * @param counted        the writers' counters
     */
    record Trial(String finishedBy, int keysLost, int keysLostToFailover, Writers.Counted counted) {

        /** The operation completed (and the cluster checked healthy afterwards). */
        boolean completed() {
            return !finishedBy.contains("failed");
        }
    }

    private static final class Row {
        final String fault;
        final String operation;
        int trials;
        int completed;
        final Map<String, Integer> finishedBy = new TreeMap<>();
        long keysLost;
        long keysLostToFailover;
        long writes;
        long failed;
        long writesLost;
        long writesLostToFailover;

        Row(String fault, String operation) {
            this.fault = fault;
            this.operation = operation;
        }

        void add(Trial t) {
            trials++;
            completed += t.completed() ? 1 : 0;
            finishedBy.merge(t.finishedBy(), 1, Integer::sum);
            keysLost += t.keysLost();
            keysLostToFailover += t.keysLostToFailover();
            writes += t.counted().acknowledged();
            failed += t.counted().failed();
            writesLost += t.counted().lost() + t.counted().beyond();
            writesLostToFailover += t.counted().lostToFailover();
        }
    }

    /** The table, in Markdown. */
    synchronized String table() {
        StringBuilder out = new StringBuilder();
        out.append("| fault | operation | trials | completed | finished by | keys lost | writes acknowledged"
                + " (failed) | writes lost | lost to failover (keys / writes) |\n");
        out.append("|---|---|---:|---:|---|---:|---:|---:|---:|\n");
        for (Row r : rows.values()) {
            StringBuilder by = new StringBuilder();
            r.finishedBy.forEach((how, n) -> by.append(by.length() == 0 ? "" : ", ").append(how).append(" ")
                    .append(n));
            out.append("| ").append(r.fault).append(" | ").append(r.operation).append(" | ").append(r.trials)
                    .append(" | ").append(r.completed).append(" | ").append(by).append(" | ").append(r.keysLost)
                    .append(" | ").append(r.writes).append(" (").append(r.failed).append(") | ").append(r.writesLost)
                    .append(" | ").append(r.keysLostToFailover).append(" / ").append(r.writesLostToFailover)
                    .append(" |\n");
        }
        return out.toString();
    }

    /** Prints the table and writes it to {@code file}. */
    synchronized void write(Path file) throws IOException {
        String table = table();
        System.out.println(table);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, table);
    }
}
