package io.reslot.versioning;

/** How a migration in the history was written, or that it is a baseline. */
public enum MigrationType {
    /** A JSON or YAML script of steps. */
    SCRIPT,
    /** A {@link RedisMigration} class. */
    JAVA,
    /** Not a migration: the mark {@code baseline} leaves to say the cluster was already at a version. */
    BASELINE
}
