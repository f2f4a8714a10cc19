package io.reslot.slot;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Bad input made from good input, for the fuzz tests of every module ({@code *FuzzTest}): random edits of a valid
 * file's bytes, the tokens that upset parsers, values of every JSON type, byte sequences that are not UTF-8. Every
 * choice comes from one {@link Random} with a fixed seed, so that a failure repeats; a failure message should show
 * the input, escaped with {@link #show}.
 */
public final class Mutations {

    /**
     * Byte sequences that are not well-formed UTF-8: a stray continuation byte, overlong forms, truncated sequences,
     * a surrogate, a code point above U+10FFFF, bytes that never occur.
     */
    public static final List<byte[]> INVALID_UTF8 = List.of(
            bytes(0x80), bytes(0xC0, 0x80), bytes(0xC3), bytes(0xE2, 0x82), bytes(0xED, 0xA0, 0x80),
            bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xF0, 0x80, 0x80, 0xAF), bytes(0xF5), bytes(0xFE), bytes(0xFF));

    /**
     * One value of every JSON type and of every kind of number, written so that JSON and YAML flow style read it
     * the same way: numbers past a long and past a double, negative and fractional ones, booleans, null, empty and
     * nested lists and objects, empty and blank strings.
     */
    public static final List<String> VALUES = List.of(
            "0", "1", "-1", "16384", "2147483648", "99999999999999999999", "-99999999999999999999", "1.5", "-0.5",
            "1e400", "-1e400", "true", "false", "null", "[]", "[1]", "[\"a\", 2]", "{}", "{\"a\": 1}", "\"\"",
            "\" \"", "\"x\"", "\"-1\"", "\"99999999999999999999\"", "\"200-100\"", "\"0-16384\"", "[[[[[[[[]]]]]]]]");

    /**
     * Tokens that upset parsers, inserted at random places: brackets and separators of JSON and YAML, YAML anchors,
     * aliases, tags, directives and document markers, huge and odd numbers, control and special characters, the
     * parts of regexes, templates, globs and slot ranges.
     */
    public static final List<String> TOKENS = List.of(
            "", "{", "}", "[", "]", ":", ": ", ",", "\"", "'", "\\", "\\u", "\\uD800", "&a ", "*a", "!!binary ",
            "!!python/object:x ", "!!int ", "<<: ", "? ", "- ", "---\n", "...\n", "%YAML 1.1\n", "#", "|\n", ">\n",
            "\t", "\n", "\r", "\r\n", "\u0000", "\uFEFF", "\u2028", "\uFFFD", "\uD83D\uDE00", " ", "  ",
            "-1", "0", "16383", "16384", "99999999999999999999", "1e400", "0x10", "-0", ".inf", "-.inf", ".nan",
            "NaN", "null", "~", "true", "no", "yes", "on", "-", "200-100", "0-16384", ",,", "all", "$", "${", "${x}",
            "$9", "(", ")", "(?<", "[a-", "*", "?", "{}", "{{", "}}");

    private final Random random;

    /** Makes edits chosen by a random sequence that starts from {@code seed}. */
    public Mutations(long seed) {
        this.random = new Random(seed);
    }

    /** The random sequence the edits come from, for choices of the caller's own. */
    public Random random() {
        return random;
    }

    /** Every proper prefix of {@code content}: from the empty one to all bytes but the last. */
    public static List<byte[]> truncations(byte[] content) {
        List<byte[]> prefixes = new ArrayList<>(content.length);
        for (int n = 0; n < content.length; n++) {
            prefixes.add(Arrays.copyOf(content, n));
        }
        return prefixes;
    }

    /** Every {@link #truncations truncation} of {@code content}, then {@code count} {@link #mutate mutations} of it. */
    public List<byte[]> variants(byte[] content, int count) {
        List<byte[]> variants = truncations(content);
        for (int i = 0; i < count; i++) {
            variants.add(mutate(content));
        }
        return variants;
    }

    /**
     * {@code content} with one to four random edits: a bit flipped, a byte replaced, inserted or deleted, a run of
     * bytes deleted or repeated, a {@link #TOKENS token} inserted or put in place of some bytes, an
     * {@link #INVALID_UTF8} sequence inserted, two lines swapped.
     */
    public byte[] mutate(byte[] content) {
        byte[] b = content;
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            b = edit(b);
        }
        return b;
    }

    private byte[] edit(byte[] b) {
        int at = b.length == 0 ? 0 : random.nextInt(b.length);
        int length = b.length == 0 ? 0 : 1 + random.nextInt(Math.min(8, b.length - at));
        switch (random.nextInt(9)) {
            case 0 -> {
                if (b.length > 0) {
                    b = b.clone();
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                if (b.length > 0) {
                    b = b.clone();
                    b[at] = (byte) random.nextInt(256);
                }
            }
            case 2 -> b = splice(b, at, 0, bytes(random.nextInt(256)));
            case 3 -> b = splice(b, at, length, new byte[0]);
            case 4 -> b = splice(b, at, 0, Arrays.copyOfRange(b, at, at + length));
            case 5 -> b = splice(b, at, 0, token());
            case 6 -> b = splice(b, at, length, token());
            case 7 -> b = splice(b, at, 0, INVALID_UTF8.get(random.nextInt(INVALID_UTF8.size())));
            default -> b = swapLines(b);
        }
        return b;
    }

    private byte[] token() {
        return TOKENS.get(random.nextInt(TOKENS.size())).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code b} with {@code length} bytes from {@code at} replaced by {@code insert}. */
    private static byte[] splice(byte[] b, int at, int length, byte[] insert) {
        byte[] result = new byte[b.length - length + insert.length];
        System.arraycopy(b, 0, result, 0, at);
        System.arraycopy(insert, 0, result, at, insert.length);
        System.arraycopy(b, at + length, result, at + insert.length, b.length - at - length);
        return result;
    }

    private byte[] swapLines(byte[] b) {
        String[] lines = new String(b, StandardCharsets.ISO_8859_1).split("\n", -1);
        if (lines.length < 2) {
            return b;
        }
        int i = random.nextInt(lines.length);
        int j = random.nextInt(lines.length);
        String line = lines[i];
        lines[i] = lines[j];
        lines[j] = line;
        return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A random string of up to {@code maxLength} characters, mostly from {@code alphabet}, sometimes a
     * {@link #TOKENS token} or a character from anywhere in the basic multilingual plane (lone surrogates included).
     */
    public String text(String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        while (text.length() < length) {
            int kind = random.nextInt(20);
            if (kind == 0) {
                text.append(TOKENS.get(random.nextInt(TOKENS.size())));
            } else if (kind == 1) {
                text.append((char) random.nextInt(Character.MAX_VALUE + 1));
            } else {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        return text.toString();
    }

    /** One of {@code items}, chosen at random. */
    public <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /**
     * {@code content} as text for a failure message: printable ASCII as it is, every other byte as {@code \xNN}, cut
     * after 2,000 bytes.
     */
    public static String show(byte[] content) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(content.length, 2000); i++) {
            int c = content[i] & 0xFF;
            if (c == '\n') {
                out.append("\\n");
            } else if (c >= 0x20 && c < 0x7F && c != '\\') {
                out.append((char) c);
            } else {
                out.append(String.format("\\x%02X", c));
            }
        }
        return content.length > 2000 ? out + "... (" + content.length + " bytes)" : out.toString();
    }

    /** {@code text} for a failure message: printable ASCII as it is, every other code point as {@code <U+N>}. */
    public static String show(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7F && c != '\\') {
                out.append((char) c);
            } else {
                out.append(String.format("<U+%04X>", c));
            }
        });
        return out.toString();
    }

    /** What a fuzz test reports for an exception that should not have been thrown: it and its first frames. */
    public static String threw(Throwable e) {
        StringBuilder trace = new StringBuilder("threw ").append(e);
        for (StackTraceElement element : e.getStackTrace()) {
            if (trace.length() > 600) {
                break;
            }
            trace.append(" at ").append(element);
        }
        return trace.toString();
    }

    /**
     * The files of a regression corpus, a directory of the test class path ({@code /fuzz/rules}): inputs that found
     * bugs, or that are worth keeping. In name order.
     */
    public static List<Path> corpus(Class<?> test, String directory) throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(Path.of(test.getResource(directory).toURI()))) {
            return files.sorted().toList();
        }
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
