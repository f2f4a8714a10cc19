package io.reslot.versioning;

import java.util.List;

/**
 * What {@code repair} did, or would do. Serialisable with Jackson.
 *
 * @param removed the failed entries removed from the history; {@code migrate} applies those migrations anew
 * @param realigned applied migrations whose stored checksum (and description) were set to those of the migration
 *     found
 * @param actions one line for each change, for people
 */
public record RepairResult(List<MigrationVersion> removed, List<MigrationVersion> realigned, List<String> actions) {

    /** @throws NullPointerException if an argument is null */
    public RepairResult {
        removed = List.copyOf(removed);
        realigned = List.copyOf(realigned);
        actions = List.copyOf(actions);
    }

    /** Whether there was nothing to repair. */
    public boolean isEmpty() {
        return actions.isEmpty();
    }
}
