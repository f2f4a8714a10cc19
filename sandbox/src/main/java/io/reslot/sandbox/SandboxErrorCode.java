package io.reslot.sandbox;

/**
 * What kind of failure a {@link SandboxException} reports; callers such as the CLI map these to exit codes.
 */
public enum SandboxErrorCode {
    /** No {@code redis-server} could be found: not in {@code RESLOT_REDIS_SERVER}, not on {@code PATH}, not bundled. */
    BINARY_NOT_FOUND,
    /** A {@code redis-server} was found but does not run or does not print a version. */
    BINARY_NOT_USABLE,
    /** A bundled binary could not be extracted to the cache directory. */
    BINARY_EXTRACTION_FAILED,
    /** A requested port (or its cluster bus port, port + 10000) is already in use. */
    PORT_IN_USE,
    /** No pair of free ports (port and port + 10000) could be found. */
    NO_FREE_PORT,
    /** A {@code redis-server} process exited or did not answer during start-up. */
    NODE_START_FAILED,
    /** The cluster did not become ready (state ok, agreement, replicas attached) within the timeout. */
    CLUSTER_NOT_READY,
    /** A cluster command sent while setting up or changing the cluster failed. */
    COMMAND_FAILED,
    /** Sending a signal ({@code SIGKILL}, {@code SIGSTOP}, {@code SIGCONT}) to a node failed. */
    SIGNAL_FAILED,
    /** Reading or writing the sandbox's files failed. */
    IO_ERROR,
    /**
     * TLS nodes were asked for but cannot be started: the redis-server was built without TLS, or the certificate
     * could not be generated (no {@code keytool}).
     */
    TLS_UNSUPPORTED
}
