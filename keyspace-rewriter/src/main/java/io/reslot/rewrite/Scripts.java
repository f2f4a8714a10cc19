package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Lua scripts by their SHA-1, as {@code EVALSHA} names them. */
final class Scripts {

    private static final Map<String, String> SHA1 = new ConcurrentHashMap<>();

    private Scripts() {
    }

    /** The lowercase hex SHA-1 of {@code script}'s UTF-8 bytes, computed once per script. */
    static String sha1(String script) {
        return SHA1.computeIfAbsent(script, s -> digest("SHA-1", s));
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
