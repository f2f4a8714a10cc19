package io.reslot.versioning;

/** What kind of failure a {@link VersioningException} is; the CLI maps each to an exit code. */
public enum VersioningErrorCode {
    /**
     * A script, a migration's name, a Java migration class or a location is not valid: malformed JSON or YAML, an
     * unknown step or option, a value of the wrong type or out of range, a missing required option. Nothing was
     * changed (exit 2).
     */
    BAD_SCRIPT,
    /** Two migrations have the same version; nothing was changed (exit 2). */
    DUPLICATE_VERSION,
    /**
     * A request that does not fit the cluster's history or the options: a baseline on a history that is not empty,
     * an invalid target version. Nothing was changed (exit 2).
     */
    BAD_INPUT,
    /** The migrations applied to the cluster do not match the ones found (exit 3). */
    VALIDATION_FAILED,
    /** Another reslot run holds the cluster's lock (exit 4). */
    LOCKED,
    /** A migration failed part way; what was done is recorded, and running again continues it (exit 1). */
    FAILED,
    /** The run was interrupted; running again continues it (exit 130). */
    INTERRUPTED
}
