package io.reslot.versioning;

import io.reslot.migrate.ClusterAccess;

/** What a {@link RedisMigration} is given to work with: the cluster, and the steps a script would run. */
public interface MigrationContext {

    /** The connections to the cluster, under the lock the run holds; not to be closed by the migration. */
    ClusterAccess access();

    /**
     * Runs one step as a script's step runs: with progress reported, as part of this migration, to its end.
     *
     * @throws VersioningException if the step fails or is interrupted
     * @throws NullPointerException if {@code step} is null
     */
    void run(Step step);
}
