package io.reslot.versioning;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One row of the history kept in the cluster: a migration that was applied, is being applied, failed, or a baseline.
 * Serialised as JSON into the history hash, under its rank (the rank itself is the hash field, not in the JSON).
 *
 * @param rank the order in which entries were made, from 1; never reused
 * @param version the migration's version
 * @param description its description
 * @param type how it was written, or {@link MigrationType#BASELINE}
 * @param script the script's path below its location, or the Java migration's class name; for a baseline, a note
 * @param checksum the checksum it had when it was applied (with its algorithm); null for a baseline
 * @param installedBy {@code user@host} of the run that applied it
 * @param installedOn when it was started, as ISO-8601 UTC ({@code 2026-01-01T10:00:00Z})
 * @param executionMillis how long it ran, over every run that worked on it
 * @param state where it is
 * @param checkpoint how far it got; null when none of its steps is done or in progress
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record HistoryEntry(@JsonIgnore int rank, MigrationVersion version, String description, MigrationType type,
        String script, String checksum, String installedBy, String installedOn, long executionMillis, State state,
        Checkpoint checkpoint) {

    /** Where an applied migration is. */
    enum State {
        /** Every step is done. */
        SUCCESS,
        /** A step failed or was interrupted; the checkpoint says where to continue. */
        FAILED,
        /** A run is applying it, or was and died; the lock tells which. */
        RUNNING
    }

    /**
     * How far a migration got.
     *
     * @param stepsDone how many of its steps are done (in the order a script lists them, or a Java migration runs
     *     them)
     * @param jobId the engine job of the moving step after those, once it started; {@code Jobs.resume} finishes it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Checkpoint(int stepsDone, String jobId) {
    }

    HistoryEntry {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
    }

    HistoryEntry withRank(int newRank) {
        return new HistoryEntry(newRank, version, description, type, script, checksum, installedBy, installedOn,
                executionMillis, state, checkpoint);
    }

    HistoryEntry with(State newState, Checkpoint newCheckpoint, long newExecutionMillis) {
        return new HistoryEntry(rank, version, description, type, script, checksum, installedBy, installedOn,
                newExecutionMillis, newState, newCheckpoint);
    }

    HistoryEntry withChecksum(String newChecksum, String newDescription) {
        return new HistoryEntry(rank, version, newDescription, type, script,
                newChecksum, installedBy, installedOn, executionMillis, state, checkpoint);
    }

    /** How many steps are done. */
    int stepsDone() {
        return checkpoint == null ? 0 : checkpoint.stepsDone();
    }
}
