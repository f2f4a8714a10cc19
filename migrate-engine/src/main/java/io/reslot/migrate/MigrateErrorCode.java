package io.reslot.migrate;

/** What went wrong, for {@link MigrateException}; the CLI maps each code to an exit code and a JSON field. */
public enum MigrateErrorCode {
    /** A node could not be reached or stopped answering. */
    UNREACHABLE,
    /** A node answered something reslot does not understand. */
    PROTOCOL,
    /** The arguments do not fit the cluster (unknown node, ambiguous node prefix, slot out of range). */
    BAD_INPUT,
    /** A node refused the credentials, or the user lacks a permission. */
    AUTH,
    /** Another run holds the cluster's lock. */
    LOCKED,
    /**
     * A job stopped part way: a node answered an error that must not be retried blindly (BUSYKEY with a different
     * value, MOVED, CLUSTERDOWN, READONLY, LOADING, OOM...), the lock was lost, or the run was interrupted. The slot
     * being moved is left open and the job can be resumed.
     */
    STOPPED,
    /** The run was interrupted (Ctrl-C); what it changed is recorded and the job can be resumed. */
    INTERRUPTED,
    /**
     * The cluster is not in a state to start a job: nodes disagree, slots are open or uncovered, a master is failing.
     * Nothing was changed; {@code reslot check} and {@code reslot fix} deal with it.
     */
    UNHEALTHY,
    /**
     * The connected user lacks a permission the operation needs ({@link Permissions}); nothing was changed. The message
     * names each missing command and the nodes it is missing on.
     */
    PERMISSION
}
