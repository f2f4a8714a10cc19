package io.reslot.rewrite;

/** What kind of failure a {@link RewriteException} is; the CLI maps each to an exit code. */
public enum RewriteErrorCode {
    /** A rule, or the rules file, is not valid; nothing was touched. */
    BAD_RULES,
    /** A key's new name is taken (or two keys would get one name) and the conflict policy is {@code fail}. */
    CONFLICT,
    /** A key kept changing while it was copied, more often than the retries allow; it is left as it was. */
    KEY_BUSY,
    /** A node could not be reached, or refused the credentials. */
    UNREACHABLE,
    /** Another reslot run holds the cluster's lock. */
    LOCKED,
    /** The run stopped part way: what was done is kept, and starting it again continues. */
    STOPPED,
    /** The run was interrupted; starting it again continues. */
    INTERRUPTED
}
