package io.reslot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The markdown table {@link ReshardBenchmark} prints: one row per scenario and tool, then the failures. */
final class Report {
    static final String HEADER = "| scenario | tool | keys | slots moved | keys moved | wall (s) | keys/s | MB/s "
            + "| client p50 (ms) | client p99 (ms) | client max (ms) | client ops | client errors | lost writes "
            + "| verified | load (s) |";

    private Report() {
    }

    /**
     * One tool run. Times in seconds and milliseconds; {@code NaN} where the run did not get that far.
     *
     * @param valueBytesMoved bytes of values in the slots that changed owner (keys moved × value size)
     * @param problems        why verification failed; empty when it passed
     */
    record Row(String scenario, String tool, long keys, int slotsMoved, long keysMoved, long valueBytesMoved,
               double seconds, double p50Millis, double p99Millis, double maxMillis, long clientOps,
               long clientErrors, long lostWrites, double loadSeconds, List<String> problems) {
        Row {
            problems = List.copyOf(problems);
        }

        boolean verified() {
            return problems.isEmpty();
        }

        double keysPerSecond() {
            return keysMoved / seconds;
        }

        /** @return megabytes (10^6 bytes) of values moved per second */
        double megabytesPerSecond() {
            return valueBytesMoved / 1e6 / seconds;
        }

        /** A run that failed before or while moving: only what is known, and the reason. */
        static Row failed(String scenario, String tool, long keys, double loadSeconds, String problem) {
            return new Row(scenario, tool, keys, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0,
                    loadSeconds, List.of(problem));
        }
    }

    /**
     * @param context lines printed above the table (machine, versions, date); may be empty
     * @return the table, followed by one line per failed row naming its problems
     */
    static String markdown(List<String> context, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        for (String line : context) {
            out.append(line).append('\n');
        }
        if (!context.isEmpty()) {
            out.append('\n');
        }
        out.append(HEADER).append('\n');
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(r.scenario(), r.tool(), count(r.keys()),
                    count(r.slotsMoved()), count(r.keysMoved()), fixed(r.seconds(), 2),
                    count(r.keysPerSecond()), fixed(r.megabytesPerSecond(), 1), fixed(r.p50Millis(), 2),
                    fixed(r.p99Millis(), 2), fixed(r.maxMillis(), 1), count(r.clientOps()), count(r.clientErrors()),
                    count(r.lostWrites()), r.verified() ? "OK" : "FAIL", fixed(r.loadSeconds(), 1)));
            out.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        for (Row r : rows) {
            if (!r.verified()) {
                out.append("\n").append(r.scenario()).append(" / ").append(r.tool()).append(" FAIL: ")
                        .append(String.join("; ", r.problems()));
            }
        }
        if (rows.stream().anyMatch(r -> !r.verified())) {
            out.append('\n');
        }
        return out.toString();
    }

    private static String count(double n) {
        return Double.isNaN(n) || Double.isInfinite(n) ? "–" : String.format(Locale.ROOT, "%,.0f", n);
    }

    private static String fixed(double n, int decimals) {
        return Double.isNaN(n) || Double.isInfinite(n) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", n);
    }
}
