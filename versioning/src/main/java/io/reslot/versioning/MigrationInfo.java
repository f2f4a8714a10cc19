package io.reslot.versioning;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One migration as {@code info} shows it: what was found in the locations, what the history says, or both.
 * Serialisable with Jackson.
 *
 * @param version its version
 * @param description its description
 * @param type a script, a Java migration, or the baseline
 * @param script the script's path below its location, or the Java migration's class name
 * @param state where it is
 * @param checksum the checksum of the migration found; the applied one when none is found
 * @param appliedChecksum the checksum stored when it was applied; null if it was not
 * @param rank its rank in the history; null if it was not applied
 * @param installedBy {@code user@host} of the run that applied it; null if it was not
 * @param installedOn when it was applied (ISO-8601); null if it was not
 * @param executionMillis how long it ran; null if it was not applied
 * @param stepsDone how many of its steps are done, for a failed or running one; 0 otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MigrationInfo(MigrationVersion version, String description, MigrationType type, String script,
        MigrationState state, String checksum, String appliedChecksum, Integer rank, String installedBy,
        String installedOn, Long executionMillis, int stepsDone) {

    static MigrationInfo of(ResolvedMigration found, HistoryEntry entry, MigrationState state) {
        if (entry == null) {
            return new MigrationInfo(found.version(), found.description(), type(found), found.script(), state,
                    found.checksum(), null, null, null, null, null, 0);
        }
        boolean stopped = entry.state() != HistoryEntry.State.SUCCESS;
        return new MigrationInfo(entry.version(), found != null ? found.description() : entry.description(),
                entry.type(), entry.script(), state, found != null ? found.checksum() : entry.checksum(),
                entry.checksum(), entry.rank(), entry.installedBy(), entry.installedOn(), entry.executionMillis(),
                stopped ? entry.stepsDone() : 0);
    }

    static MigrationType type(ResolvedMigration found) {
        return found.type() == ResolvedMigration.Type.SCRIPT ? MigrationType.SCRIPT : MigrationType.JAVA;
    }

    /** {@code V2 (Tag users)}, for messages. */
    String name() {
        return "V" + version + (description.isEmpty() ? "" : " (" + description + ")");
    }
}
