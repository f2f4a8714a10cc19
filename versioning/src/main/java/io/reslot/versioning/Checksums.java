package io.reslot.versioning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Checksums of migrations, as stored in the history: the algorithm's name, a colon, and the digest in lower-case hex,
 * such as {@code sha256:2cf24dba...}. Naming the algorithm lets a later release add another one and still recognise
 * the checksums stored by this one, so that an upgrade never makes every applied migration look edited.
 */
public final class Checksums {

    /** The algorithm of {@link #of}, as it starts each checksum (before the colon). */
    public static final String SHA256 = "sha256";

    private static final char BOM = '\uFEFF';

    private Checksums() {
    }

    /**
     * The checksum of a script's text: {@code sha256:} and the SHA-256 of its UTF-8 bytes, after a leading byte
     * order mark is dropped and every {@code \r\n} and lone {@code \r} becomes {@code \n}. So a script checked out
     * with Windows line endings, or saved by an editor that adds a BOM, keeps its checksum; any other change to the
     * text changes it.
     *
     * @throws NullPointerException if {@code scriptText} is null
     */
    public static String of(String scriptText) {
        Objects.requireNonNull(scriptText, "scriptText");
        String text = scriptText.isEmpty() || scriptText.charAt(0) != BOM ? scriptText : scriptText.substring(1);
        text = text.replace("\r\n", "\n").replace('\r', '\n');
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code sha256:} and the SHA-256 of {@code bytes} as they are. */
    static String sha256(byte[] bytes) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's class comment).
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
        return SHA256 + ":" + HexFormat.of().formatHex(digest.digest(bytes));
    }
}
