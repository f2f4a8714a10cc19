package io.reslot.cli;

/**
 * Bad input from the user: an unknown command or option, a malformed argument or input line. {@code Main} prints
 * the message as one line ({@code reslot: <message>}) and exits with {@link ExitCode#BAD_INPUT}. The message names
 * the bad value and, where it helps, where it came from (argument position, input line).
 */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
