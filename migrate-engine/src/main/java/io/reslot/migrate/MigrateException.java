package io.reslot.migrate;

import java.util.Objects;

/** The one unchecked exception of the migrate engine; {@link #code()} says what kind of failure it is. */
public class MigrateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final MigrateErrorCode code;

    /**
     * @param code what kind of failure this is
     * @param message what was done, what was not, and what to run next where that applies
     */
    public MigrateException(MigrateErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code what kind of failure this is
     * @param message what was done, what was not, and what to run next where that applies
     * @param cause the underlying failure
     */
    public MigrateException(MigrateErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** What kind of failure this is. */
    public MigrateErrorCode code() {
        return code;
    }
}
