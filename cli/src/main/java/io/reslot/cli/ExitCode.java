package io.reslot.cli;

/** The exit codes of {@code CLI.md} that commands return today. */
final class ExitCode {

    /** Done. */
    static final int OK = 0;

    /** The operation failed, or something unexpected happened. */
    static final int FAILED = 1;

    /**
     * The user did not confirm a change the command asked about; nothing was changed. The code of a failure: what
     * the command was asked to do did not happen, and a script that forgot {@code --yes} must not go on as if it had.
     */
    static final int NOT_CONFIRMED = FAILED;

    /** Bad input (arguments, input lines); nothing was changed. */
    static final int BAD_INPUT = 2;

    /** {@code check} or {@code validate} found problems. */
    static final int PROBLEMS = 3;

    /** Another run holds the cluster's lock. */
    static final int LOCKED = 4;

    /** Interrupted (Ctrl-C): 128 + SIGINT, as a shell reports it; what was done is recorded and can be resumed. */
    static final int INTERRUPTED = 130;

    /**
     * Whoever read stdout stopped reading ({@code reslot slot | head}): 128 + SIGPIPE, the code a shell reports for a
     * Unix tool that the signal ended, so {@code pipefail} scripts see the same thing.
     */
    static final int CLOSED_PIPE = 141;

    private ExitCode() {
    }
}
