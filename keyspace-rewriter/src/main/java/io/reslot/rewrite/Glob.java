package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A Redis glob ({@code SCAN MATCH}, {@code KEYS}), matched on key bytes exactly as the server matches it.
 *
 * <p>The matching is Redis's {@code stringmatchlen} (util.c, case-sensitive): {@code *} any run of bytes,
 * {@code ?} one byte, {@code [abc]} one of the listed bytes, {@code [^abc]} one byte not listed, {@code [a-z]} a
 * range (either order), {@code \x} the byte {@code x} itself, inside or outside brackets. It works on bytes, not
 * characters: {@code ?} matches one byte of a multi-byte UTF-8 character. Range ends compare as signed bytes, as
 * Redis's {@code char} does on x86. Its quirks are kept, so that filtering keys here agrees with the server: a
 * backslash at the very end is a literal backslash, and no pattern other than {@code *} matches the empty key
 * ({@code SCAN} does not even match for {@code *}, so it returns every key).
 *
 * <p>Redis accepts any pattern; this class rejects one with a {@code [} that is never closed, since Redis would
 * silently read such a class up to the end of the pattern, and that is never what was meant.
 */
final class Glob {

    private static final int NO_MATCH = 0;
    private static final int MATCH = 1;
    /** No match, and no {@code *} further left needs to try longer runs either (Redis's skipLongerMatches). */
    private static final int NO_MATCH_ANYWHERE = 2;
    /** Redis gives up (no match) beyond this many nested {@code *}, against abusive patterns. */
    private static final int MAX_NESTING = 1000;

    private final String text;
    private final byte[] pattern;
    private final boolean everything;

    private Glob(String text) {
        this.text = text;
        this.pattern = text.getBytes(StandardCharsets.UTF_8);
        this.everything = text.equals("*");
    }

    /**
     * Checks and returns the glob {@code text} (as its UTF-8 bytes).
     *
     * @throws IllegalArgumentException saying why, if {@code text} is empty or has a {@code [} that is not closed
     * @throws NullPointerException if {@code text} is null
     */
    static Glob of(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the glob is empty, so it matches only the empty key; leave 'match' "
                    + "out to try the regex on every key");
        }
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        int unclosed = unclosedBracket(p);
        if (unclosed >= 0) {
            int at = new String(p, 0, unclosed, StandardCharsets.UTF_8).length();
            throw new IllegalArgumentException("the glob '" + text + "' has a '[' at index " + at + " that is never "
                    + "closed by ']'; write \\[ for a literal '['");
        }
        return new Glob(text);
    }

    /** The glob as it was written. */
    String text() {
        return text;
    }

    /** Whether {@code SCAN ... MATCH} with this glob returns {@code key}. */
    boolean matches(byte[] key) {
        return everything || matches(pattern, key);
    }

    /** Redis's {@code stringmatchlen(pattern, key, nocase=0)}. */
    static boolean matches(byte[] pattern, byte[] key) {
        return match(pattern, 0, key, 0, 0) == MATCH;
    }

    /**
     * {@code stringmatchlen_impl} from Redis's util.c, one step at a time; {@code p} and {@code s} index pattern and
     * string, and the {@code skipLongerMatches} flag is the {@link #NO_MATCH_ANYWHERE} result.
     */
    private static int match(byte[] pattern, int p, byte[] string, int s, int nesting) {
        if (nesting > MAX_NESTING) {
            return NO_MATCH;
        }
        int pEnd = pattern.length;
        int sEnd = string.length;
        while (p < pEnd && s < sEnd) {
            switch (pattern[p]) {
                case '*':
                    while (p + 1 < pEnd && pattern[p + 1] == '*') {
                        p++;
                    }
                    if (p + 1 == pEnd) {
                        return MATCH;
                    }
                    for (; s < sEnd; s++) {
                        int rest = match(pattern, p + 1, string, s, nesting + 1);
                        if (rest != NO_MATCH) {
                            return rest;
                        }
                    }
                    // The rest of the pattern matches nowhere in what is left of the string; a '*' to the left
                    // taking a longer run would only leave less string, so every caller can give up too.
                    return NO_MATCH_ANYWHERE;
                case '?':
                    s++;
                    break;
                case '[': {
                    p++;
                    boolean negated = p < pEnd && pattern[p] == '^';
                    if (negated) {
                        p++;
                    }
                    byte c = string[s];
                    boolean found = false;
                    while (true) {
                        if (p < pEnd && pattern[p] == '\\' && pEnd - p >= 2) {
                            p++;
                            found |= pattern[p] == c;
                        } else if (p < pEnd && pattern[p] == ']') {
                            break;
                        } else if (p >= pEnd) {
                            p--;  // an unclosed class ends with the pattern
                            break;
                        } else if (pEnd - p >= 3 && pattern[p + 1] == '-') {
                            int start = Math.min(pattern[p], pattern[p + 2]);
                            int end = Math.max(pattern[p], pattern[p + 2]);
                            p += 2;
                            found |= c >= start && c <= end;
                        } else {
                            found |= pattern[p] == c;
                        }
                        p++;
                    }
                    if (found == negated) {
                        return NO_MATCH;
                    }
                    s++;
                    break;
                }
                case '\\':
                    if (pEnd - p >= 2) {
                        p++;
                    }
                    if (pattern[p] != string[s]) {
                        return NO_MATCH;
                    }
                    s++;
                    break;
                default:
                    if (pattern[p] != string[s]) {
                        return NO_MATCH;
                    }
                    s++;
                    break;
            }
            p++;
            if (s == sEnd) {
                while (p < pEnd && pattern[p] == '*') {
                    p++;
                }
                break;
            }
        }
        return p == pEnd && s == sEnd ? MATCH : NO_MATCH;
    }

    /**
     * The index of the first {@code [} whose class {@link #match} would end only at the end of the pattern, or -1.
     * It reads classes the way {@code match} does, so {@code [a-]} is unclosed (the range takes the {@code ]}) and
     * {@code []]} is an empty class followed by a literal {@code ]}.
     */
    private static int unclosedBracket(byte[] pattern) {
        int end = pattern.length;
        int p = 0;
        while (p < end) {
            if (pattern[p] == '\\') {
                p += 2;
            } else if (pattern[p] == '[') {
                int q = p + 1;
                if (q < end && pattern[q] == '^') {
                    q++;
                }
                while (true) {
                    if (q >= end) {
                        return p;
                    } else if (pattern[q] == '\\' && end - q >= 2) {
                        q += 2;
                    } else if (pattern[q] == ']') {
                        break;
                    } else if (end - q >= 3 && pattern[q + 1] == '-') {
                        q += 3;
                    } else {
                        q++;
                    }
                }
                p = q + 1;
            } else {
                p++;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return text;
    }
}
