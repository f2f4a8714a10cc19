package io.reslot.slot;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Keys that stress the slot function: short and long ASCII with and without tags, UTF-8 with supplementary
 * characters and lone surrogates, and binary keys dense with {@code '{'} and {@code '}'}. Seeded, so a failure can
 * be replayed.
 */
final class RandomKeys {

    private static final String ASCII_PARTS = "user:order:cart:session:{}:-_./0123456789abcdefXYZ";
    private static final String[] UNICODE = {"é", "ß", "Ж", "中", "文", "€", "😀", "𝄞", "𐍈", "\uD800", "\uDC00", "{",
        "}", "a", "0", ":"};

    private final SplittableRandom random;

    RandomKeys(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A string key: ASCII or Unicode (with supplementary chars and lone surrogates), tagged or not. */
    String string() {
        int kind = random.nextInt(3);
        int length = random.nextInt(kind == 0 ? 300 : 40);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            if (kind == 0 || kind == 1 && random.nextInt(4) != 0) {
                sb.append(ASCII_PARTS.charAt(random.nextInt(ASCII_PARTS.length())));
            } else {
                sb.append(UNICODE[random.nextInt(UNICODE.length)]);
            }
        }
        return sb.toString();
    }

    /** A byte key: the UTF-8 of {@link #string()}, or binary bytes where about one in four is a brace. */
    byte[] bytes() {
        if (random.nextBoolean()) {
            return string().getBytes(StandardCharsets.UTF_8);
        }
        byte[] key = new byte[random.nextInt(80)];
        for (int i = 0; i < key.length; i++) {
            int r = random.nextInt(8);
            key[i] = r == 0 ? (byte) '{' : r == 1 ? (byte) '}' : (byte) random.nextInt(256);
        }
        return key;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
