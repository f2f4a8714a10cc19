package io.reslot.migrate;

/** What went wrong, for {@link MigrateException}; the CLI maps each code to an exit code and a JSON field. */
public enum MigrateErrorCode {
    /** A node could not be reached or stopped answering. */
    UNREACHABLE,
    /** A node answered something reslot does not understand. */
    PROTOCOL,
    /** The arguments do not fit the cluster (unknown node, ambiguous node prefix, slot out of range). */
    BAD_INPUT,
    /** A node refused the credentials. */
    AUTH
}
