package io.reslot.versioning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches the migrations found with the history and gives each its state, as {@code info} shows it and
 * {@code migrate} and {@code validate} use it.
 */
final class MigrationStates {

    /**
     * One migration: found, applied, or both.
     *
     * @param found the migration found in the locations; null if none has the entry's version
     * @param entry its history entry; null if it was not applied
     */
    record Row(ResolvedMigration found, HistoryEntry entry, MigrationState state) {

        MigrationInfo info() {
            return MigrationInfo.of(found, entry, state);
        }

        MigrationVersion version() {
            return found != null ? found.version() : entry.version();
        }
    }

    private MigrationStates() {
    }

    /**
     * @param target the newest version to apply; null for all
     * @param outOfOrder whether a migration older than the newest applied one may still be applied
     */
    static List<Row> of(List<ResolvedMigration> found, List<HistoryEntry> history, MigrationVersion target,
            boolean outOfOrder) {
        Map<MigrationVersion, HistoryEntry> applied = new HashMap<>();
        Set<Integer> outOfOrderRanks = new HashSet<>();
        HistoryEntry baseline = null;
        MigrationVersion newestApplied = null;
        for (HistoryEntry entry : history) { // by rank
            if (entry.type() == MigrationType.BASELINE) {
                baseline = entry;
            } else {
                applied.put(entry.version(), entry);
            }
            if (newestApplied != null && entry.version().compareTo(newestApplied) < 0) {
                outOfOrderRanks.add(entry.rank());
            }
            if (newestApplied == null || entry.version().compareTo(newestApplied) > 0) {
                newestApplied = entry.version();
            }
        }
        List<Row> rows = new ArrayList<>();
        Set<MigrationVersion> matched = new HashSet<>();
        for (ResolvedMigration migration : found) {
            HistoryEntry entry = applied.get(migration.version());
            MigrationState state;
            if (entry != null) {
                matched.add(migration.version());
                state = appliedState(entry, outOfOrderRanks);
            } else if (baseline != null && migration.version().compareTo(baseline.version()) <= 0) {
                state = MigrationState.BELOW_BASELINE;
            } else if (target != null && migration.version().compareTo(target) > 0) {
                state = MigrationState.ABOVE_TARGET;
            } else if (!outOfOrder && newestApplied != null && migration.version().compareTo(newestApplied) < 0) {
                state = MigrationState.IGNORED;
            } else {
                state = MigrationState.PENDING;
            }
            rows.add(new Row(migration, entry, state));
        }
        MigrationVersion newestFound = found.isEmpty() ? null : found.get(found.size() - 1).version();
        for (HistoryEntry entry : history) {
            if (entry.type() == MigrationType.BASELINE) {
                if (entry == baseline) {
                    rows.add(new Row(null, entry, MigrationState.BASELINE));
                }
            } else if (!matched.contains(entry.version()) && applied.get(entry.version()) == entry) {
                boolean future = newestFound == null || entry.version().compareTo(newestFound) > 0;
                rows.add(new Row(null, entry, future ? MigrationState.FUTURE : MigrationState.MISSING));
            }
        }
        rows.sort(Comparator.comparing(Row::version)
                .thenComparingInt(row -> row.entry() == null ? Integer.MAX_VALUE : row.entry().rank()));
        return rows;
    }

    private static MigrationState appliedState(HistoryEntry entry, Set<Integer> outOfOrderRanks) {
        return switch (entry.state()) {
            case SUCCESS -> outOfOrderRanks.contains(entry.rank()) ? MigrationState.OUT_OF_ORDER
                    : MigrationState.SUCCESS;
            case FAILED -> MigrationState.FAILED;
            case RUNNING -> MigrationState.RUNNING;
        };
    }

    /** What keeps the history and the migrations found from matching, one line each; empty if they match. */
    static List<String> problems(List<Row> rows) {
        List<String> problems = new ArrayList<>();
        MigrationVersion newestApplied = rows.stream().filter(row -> row.entry() != null).map(Row::version)
                .max(Comparator.naturalOrder()).orElse(null);
        for (Row row : rows) {
            HistoryEntry entry = row.entry();
            ResolvedMigration found = row.found();
            String name = row.info().name();
            if (entry != null && found != null && !found.checksum().equals(entry.checksum())) {
                String advice = entry.state() == HistoryEntry.State.SUCCESS
                        ? "restore it, or run `reslot repair` to accept the change"
                        : "it stopped after " + entry.stepsDone() + " steps; restore it to continue it, or run "
                                + "`reslot repair` to drop the failed entry so that migrate applies it anew";
                problems.add(name + ": applied with checksum " + entry.checksum() + ", but " + found.source()
                        + " now has checksum " + found.checksum() + "; " + advice);
            } else if (row.state() == MigrationState.MISSING) {
                problems.add(name + " was applied (rank " + entry.rank() + ", " + entry.installedOn() + ") but no "
                        + "migration with version " + entry.version() + " is found; restore it, or add the location "
                        + "that has it");
            } else if (row.state() == MigrationState.IGNORED) {
                problems.add(name + " (" + found.source() + ") is older than the newest applied migration V"
                        + newestApplied + " and was never applied; allow out-of-order migrations (--out-of-order) "
                        + "to apply it, or give it a version newer than " + newestApplied);
            }
        }
        return problems;
    }
}
