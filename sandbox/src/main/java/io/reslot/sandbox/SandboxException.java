package io.reslot.sandbox;

import java.util.Objects;

/**
 * The one unchecked exception of the sandbox module. Its {@link #code() code} says what kind of failure it is;
 * its message says what was tried and, for nodes that failed to start, ends with the tail of the node's log.
 */
public class SandboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SandboxErrorCode code;

    /**
     * @param code    the kind of failure
     * @param message what happened, what was tried, what to do next
     * @throws NullPointerException if {@code code} is null
     */
    public SandboxException(SandboxErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * @param code    the kind of failure
     * @param message what happened, what was tried, what to do next
     * @param cause   the underlying exception, or null
     * @throws NullPointerException if {@code code} is null
     */
    public SandboxException(SandboxErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the kind of failure, never null */
    public SandboxErrorCode code() {
        return code;
    }
}
