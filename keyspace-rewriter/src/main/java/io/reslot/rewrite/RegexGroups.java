package io.reslot.rewrite;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The capturing groups of a compiled regex: how many, and which names. Java 17 has no {@code Pattern.namedGroups()},
 * so the names are found two ways. A scan of the regex text finds {@code (?<name>} outside escapes, {@code \Q...\E}
 * and character classes; it lists the names for messages. Whether a name really is a group is asked of a
 * {@link Matcher}, which throws for an unknown name once it has matched something: the regex is wrapped as
 * {@code (?:regex\n)|}, which has the same groups and matches the empty string through its last branch (the newline
 * ends a trailing comment in {@code (?x)} mode). Only when that wrapper does not compile (an unclosed {@code \Q})
 * does the scan alone decide.
 */
final class RegexGroups {

    private final int count;
    private final Matcher probe;
    private final Set<String> scanned;

    private RegexGroups(int count, Matcher probe, Set<String> scanned) {
        this.count = count;
        this.probe = probe;
        this.scanned = scanned;
    }

    /** The groups of {@code pattern}; the result is for one thread, and meant to be dropped after validation. */
    static RegexGroups of(Pattern pattern) {
        String regex = pattern.pattern();
        Matcher probe = null;
        try {
            Matcher m = Pattern.compile("(?:" + regex + "\n)|").matcher("");
            if (m.matches()) {
                probe = m;
            }
        } catch (PatternSyntaxException e) {
            // leave it to the scan
        }
        return new RegexGroups(pattern.matcher("").groupCount(), probe, scanNames(regex));
    }

    /** How many capturing groups the regex has, not counting group 0 (the whole match). */
    int count() {
        return count;
    }

    /** Whether the regex has a group named {@code name}. */
    boolean has(String name) {
        if (probe == null) {
            return scanned.contains(name);
        }
        try {
            probe.start(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The regex's group names, in the order they appear, for messages. */
    List<String> names() {
        List<String> names = new ArrayList<>(scanned.size());
        for (String name : scanned) {
            if (has(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The names of {@code (?<name>...)} groups in {@code regex}, found by reading it as {@link Pattern} does. */
    static Set<String> scanNames(String regex) {
        Set<String> names = new LinkedHashSet<>();
        int n = regex.length();
        int i = 0;
        while (i < n) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i = skipEscape(regex, i);
            } else if (c == '[') {
                i = skipClass(regex, i);
            } else if (c == '(' && regex.startsWith("?<", i + 1) && i + 3 < n && isLetter(regex.charAt(i + 3))) {
                int end = i + 4;
                while (end < n && (isLetter(regex.charAt(end)) || isDigit(regex.charAt(end)))) {
                    end++;
                }
                if (end < n && regex.charAt(end) == '>') {
                    names.add(regex.substring(i + 3, end));
                }
                i = end;
            } else {
                i++;
            }
        }
        return names;
    }

    /** The index after the escape at {@code i}: after {@code \x}, or after the {@code \E} that ends {@code \Q}. */
    private static int skipEscape(String regex, int i) {
        if (i + 1 < regex.length() && regex.charAt(i + 1) == 'Q') {
            int end = regex.indexOf("\\E", i + 2);
            return end < 0 ? regex.length() : end + 2;
        }
        return i + 2;
    }

    /**
     * The index after the character class opening at {@code i}. Classes nest ({@code [a-z&&[^aeiou]]}), and a
     * {@code ]} right after {@code [} or {@code [^} is a literal, as Pattern reads them.
     */
    private static int skipClass(String regex, int i) {
        int n = regex.length();
        int depth = 0;
        int j = i;
        while (j < n) {
            char c = regex.charAt(j);
            if (c == '\\') {
                j = skipEscape(regex, j);
            } else if (c == '[') {
                depth++;
                j++;
                if (j < n && regex.charAt(j) == '^') {
                    j++;
                }
                if (j < n && regex.charAt(j) == ']') {
                    j++;
                }
            } else if (c == ']') {
                j++;
                if (--depth == 0) {
                    return j;
                }
            } else {
                j++;
            }
        }
        return n;
    }

    /** Pattern's group names are ASCII: a letter, then letters and digits. */
    static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
