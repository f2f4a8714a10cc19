package io.reslot.cli;

/** The exit codes of {@code CLI.md} that commands return today. */
final class ExitCode {

    /** Done. */
    static final int OK = 0;

    /** The operation failed, or something unexpected happened. */
    static final int FAILED = 1;

    /** Bad input (arguments, input lines); nothing was changed. */
    static final int BAD_INPUT = 2;

    private ExitCode() {
    }
}
