package io.reslot.rewrite;

import java.util.Objects;

/** The one unchecked exception of the keyspace rewriter; {@link #code()} says what kind of failure it is. */
public class RewriteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RewriteErrorCode code;

    /**
     * @param code what kind of failure this is
     * @param message what happened, what state the keys are in, and what to run next where that applies
     */
    public RewriteException(RewriteErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code what kind of failure this is
     * @param message what happened, what state the keys are in, and what to run next where that applies
     * @param cause the underlying failure
     */
    public RewriteException(RewriteErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** What kind of failure this is. */
    public RewriteErrorCode code() {
        return code;
    }
}
