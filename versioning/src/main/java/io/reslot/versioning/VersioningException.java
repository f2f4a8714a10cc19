package io.reslot.versioning;

import java.util.Objects;

/** The one unchecked exception of the versioning module; {@link #code()} says what kind of failure it is. */
public class VersioningException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final VersioningErrorCode code;

    /**
     * @param code what kind of failure this is
     * @param message what is wrong, where (file, line and column where that applies), and what to do about it
     */
    public VersioningException(VersioningErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code what kind of failure this is
     * @param message what is wrong, where (file, line and column where that applies), and what to do about it
     * @param cause the underlying failure
     */
    public VersioningException(VersioningErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** What kind of failure this is. */
    public VersioningErrorCode code() {
        return code;
    }

    /** A {@link VersioningErrorCode#BAD_SCRIPT} failure. */
    static VersioningException badScript(String message) {
        return new VersioningException(VersioningErrorCode.BAD_SCRIPT, message);
    }

    /** A {@link VersioningErrorCode#BAD_SCRIPT} failure caused by {@code cause}. */
    static VersioningException badScript(String message, Throwable cause) {
        return new VersioningException(VersioningErrorCode.BAD_SCRIPT, message, cause);
    }
}
