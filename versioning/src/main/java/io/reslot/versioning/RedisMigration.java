package io.reslot.versioning;

/**
 * A migration written in Java, for what a script cannot say: steps that depend on the cluster's current layout, or
 * work of one's own between steps. Most implementations extend {@link BaseRedisMigration}, which takes the version
 * and description from the class name.
 *
 * <p>Like a script's steps, {@link #migrate} should be idempotent, so that a migration that failed part way can be
 * run again.
 */
public interface RedisMigration {

    /** The version; two migrations must not have the same one. */
    MigrationVersion version();

    /** What the migration does, in a few words; shown by {@code info} and stored in the history. */
    String description();

    /**
     * The checksum stored in the history when the migration is applied, compared with the stored one by
     * {@code validate}: it should change whenever what the migration does changes. It must not be blank; it names its
     * algorithm as {@link Checksums} does ({@code sha256:...}).
     */
    String checksum();

    /**
     * Does the migration.
     *
     * @param context the cluster, and a way to run steps with progress as a script's steps run
     * @throws Exception when the migration fails; it is recorded as failed with the number of steps it finished, and
     *     the next {@code migrate} calls this method again, skipping that many {@link MigrationContext#run} calls
     *     (so the steps should be run in the same order each time)
     */
    void migrate(MigrationContext context) throws Exception;
}
