package io.reslot.migrate.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;

/** Turns Lettuce's exceptions into {@link MigrateException}s with the code the CLI maps to an exit code. */
public final class RedisErrors {

    private RedisErrors() {
    }

    /**
     * Classifies a failure talking to {@code where}: refused credentials are {@link MigrateErrorCode#AUTH}, an error
     * reply is {@link MigrateErrorCode#PROTOCOL}, anything else (refused connection, timeout, closed connection) is
     * {@link MigrateErrorCode#UNREACHABLE}.
     *
     * @param where a node address, or what was being read or written, for the message
     */
    public static MigrateException classify(String where, RedisException e) {
        String message = rootMessage(e);
        if (message.contains("NOAUTH") || message.contains("WRONGPASS") || message.contains("NOPERM")) {
            return new MigrateException(MigrateErrorCode.AUTH, where + " refused the credentials: " + message, e);
        }
        if (e instanceof RedisCommandExecutionException) {
            return new MigrateException(MigrateErrorCode.PROTOCOL, where + ": " + message, e);
        }
        return new MigrateException(MigrateErrorCode.UNREACHABLE, where + " did not answer: " + message, e);
    }

    /** The message of the innermost cause, or its class name when it has none. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
