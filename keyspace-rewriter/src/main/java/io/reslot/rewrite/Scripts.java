package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;

/** Running Lua scripts by their SHA-1, as {@code EVALSHA} names them. */
final class Scripts {

    private static final Map<String, String> SHA1 = new ConcurrentHashMap<>();

    private Scripts() {
    }

    /** The lowercase hex SHA-1 of {@code script}'s UTF-8 bytes, computed once per script. */
    static String sha1(String script) {
        return SHA1.computeIfAbsent(script, s -> digest("SHA-1", s));
    }

    /**
     * Runs {@code script} by its SHA-1 ({@code EVALSHA}: 40 bytes a call instead of the script), sending the script
     * itself only when the node does not have it yet ({@code NOSCRIPT}).
     */
    static <T> CompletableFuture<T> run(RedisScriptingAsyncCommands<byte[], byte[]> commands, String script,
            ScriptOutputType type, byte[][] keys, byte[]... args) {
        return commands.<T>evalsha(sha1(script), type, keys, args).toCompletableFuture().handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = unwrap(error);
            if (cause instanceof RedisCommandExecutionException e && e.getMessage().startsWith("NOSCRIPT")) {
                return commands.<T>eval(script, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(stage -> stage);
    }

    /** The failure a {@link CompletionException} wraps, or {@code e} itself. */
    static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** {@code algorithm}'s digest of {@code text}'s UTF-8 bytes, in lowercase hex. */
    static String digest(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
    }
}
