package io.reslot.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * A rule's target name: literal text and references to the regex's groups, parsed once so that rendering a key's
 * new name only copies text.
 *
 * <p>The syntax is {@link Matcher#appendReplacement}'s, plus {@code ${1}}: {@code ${name}} is a named group,
 * {@code $n} a numbered one ({@code $0} the whole key), taking further digits only while they still name a group,
 * so with two groups {@code $12} is group 1 then {@code "2"}; {@code ${12}} is always group 12. A backslash makes
 * the next character literal ({@code \$}, {@code \\}, {@code \{}). A group that did not take part in the match
 * renders as nothing.
 *
 * <p>Parsing also checks that every name rendered has a hash tag that the template decides, so that keys it
 * renames together end up in one slot: the first {@code '{'} of the template must be followed by a {@code '}'} with
 * text or a group in between, and no group may come before that {@code '{'}, because a group's text could contain
 * a brace and so move the tag. A group inside the tag may still render empty; {@link Rules#rename} reports such
 * keys instead of renaming them.
 */
final class Template {

    private final String text;
    /** Literal text before each reference, then the text after the last one: one more than references. */
    private final String[] literals;
    /** Each reference's group number, or -1 for a named one. */
    private final int[] numbers;
    /** Each reference's group name, or null for a numbered one. */
    private final String[] names;

    private Template(String text, List<String> literals, List<Integer> numbers, List<String> names) {
        this.text = text;
        this.literals = literals.toArray(new String[0]);
        this.numbers = numbers.stream().mapToInt(Integer::intValue).toArray();
        this.names = names.toArray(new String[0]);
    }

    /**
     * Parses {@code text} against the groups of a rule's regex.
     *
     * @throws IllegalArgumentException saying what is wrong and where: a lone {@code \} or {@code $} at the end, a
     *     {@code $} followed by neither a digit nor {@code {}, an unclosed {@code ${}, a name that is no group of
     *     the regex, a number above its group count, or a hash tag that the template does not fix
     */
    static Template parse(String text, RegexGroups groups) {
        List<String> literals = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        TagCheck tag = new TagCheck(text);
        StringBuilder literal = new StringBuilder();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 == n) {
                    throw new IllegalArgumentException(quote(text) + " ends with a lone '\\'; write \\\\ for a "
                            + "literal backslash");
                }
                literal.append(text.charAt(i + 1));
                tag.literal(text.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c != '$') {
                literal.append(c);
                tag.literal(c);
                i++;
                continue;
            }
            int start = i;
            int number = -1;
            String name = null;
            if (i + 1 == n) {
                throw new IllegalArgumentException(quote(text) + " ends with a lone '$'; write \\$ for a literal '$'");
            } else if (text.charAt(i + 1) == '{') {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException(quote(text) + " has '${' at index " + i + " with no '}' after "
                            + "it; write ${name} or ${number}, or \\$ for a literal '$'");
                }
                String ref = text.substring(i + 2, close);
                if (!ref.isEmpty() && ref.chars().allMatch(ch -> RegexGroups.isDigit((char) ch))) {
                    number = groupNumber(text, ref, start, groups);
                } else if (isGroupName(ref)) {
                    name = ref;
                    if (!groups.has(name)) {
                        List<String> known = groups.names();
                        throw new IllegalArgumentException(quote(text) + " refers to group '" + name + "' at index "
                                + start + ", which the regex does not have (" + (known.isEmpty()
                                ? "it has no named groups" : "its named groups: " + String.join(", ", known)) + ")");
                    }
                } else {
                    throw new IllegalArgumentException(quote(text) + " has '${" + ref + "}' at index " + start
                            + "; between '${' and '}' write a group number, or a group name (a letter, then letters "
                            + "and digits)");
                }
                i = close + 1;
            } else if (RegexGroups.isDigit(text.charAt(i + 1))) {
                // As appendReplacement: the first digit always counts, the next ones only while they name a group.
                number = groupNumber(text, text.substring(i + 1, i + 2), start, groups);
                i += 2;
                while (i < n && RegexGroups.isDigit(text.charAt(i))) {
                    int longer = number * 10 + (text.charAt(i) - '0');
                    if (longer > groups.count()) {
                        break;
                    }
                    number = longer;
                    i++;
                }
            } else {
                throw new IllegalArgumentException(quote(text) + " has '$' at index " + i + " followed by neither a "
                        + "group number nor '{'; write \\$ for a literal '$'");
            }
            tag.group(text.substring(start, i));
            literals.add(literal.toString());
            literal.setLength(0);
            numbers.add(number);
            names.add(name);
        }
        literals.add(literal.toString());
        tag.end();
        return new Template(text, literals, numbers, names);
    }

    /** Appends the name {@code matcher} (which has matched {@code input}) renders to {@code out}. */
    void render(Matcher matcher, String input, StringBuilder out) {
        for (int k = 0; k < numbers.length; k++) {
            out.append(literals[k]);
            int start = names[k] == null ? matcher.start(numbers[k]) : matcher.start(names[k]);
            if (start >= 0) {
                int end = names[k] == null ? matcher.end(numbers[k]) : matcher.end(names[k]);
                out.append(input, start, end);
            }
        }
        out.append(literals[numbers.length]);
    }

    @Override
    public String toString() {
        return text;
    }

    private static int groupNumber(String text, String digits, int at, RegexGroups groups) {
        // More than 9 digits cannot be a group either, and must not overflow.
        int number = digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
        if (number > groups.count()) {
            throw new IllegalArgumentException(quote(text) + " refers to group " + digits + " at index " + at
                    + ", but the regex has " + (groups.count() == 0 ? "no groups" : groups.count() == 1
                    ? "only 1 group" : "only " + groups.count() + " groups"));
        }
        return number;
    }

    private static boolean isGroupName(String s) {
        if (s.isEmpty() || !RegexGroups.isLetter(s.charAt(0))) {
            return false;
        }
        return s.chars().allMatch(c -> RegexGroups.isLetter((char) c) || RegexGroups.isDigit((char) c));
    }

    private static String quote(String text) {
        return "the template '" + text + "'";
    }

    /**
     * Follows the template's literal characters and groups and checks that the rendered name's hash tag is fixed:
     * literal '{', then at least one literal character or group, then literal '}', with no group before the '{'.
     */
    private static final class TagCheck {

        private final String text;
        private String firstGroup;
        private boolean open;
        private boolean filled;
        private boolean closed;

        TagCheck(String text) {
            this.text = text;
        }

        void literal(char c) {
            if (closed) {
                return;
            }
            if (!open) {
                if (c == '{') {
                    if (firstGroup != null) {
                        throw new IllegalArgumentException(quote(text) + " puts group " + firstGroup + " before its "
                                + "first '{': the group's text could contain '{' or '}' and so move the hash tag; "
                                + "put only literal text before the first '{'");
                    }
                    open = true;
                }
            } else if (c != '}') {
                filled = true;
            } else if (!filled) {
                throw new IllegalArgumentException(quote(text) + " has nothing between its first '{' and the '}' "
                        + "after it, and Redis hashes the whole key when that is empty; put text or a group there");
            } else {
                closed = true;
            }
        }

        void group(String reference) {
            if (!open && firstGroup == null) {
                firstGroup = reference;
            } else if (open) {
                filled = true;
            }
        }

        void end() {
            if (!open) {
                throw new IllegalArgumentException(quote(text) + " has no '{', so the names it gives have no hash "
                        + "tag: put the part that related keys share between '{' and '}'");
            }
            if (!closed) {
                throw new IllegalArgumentException(quote(text) + " has no '}' after its first '{', so the names it "
                        + "gives have no hash tag: close the tag with '}'");
            }
        }
    }
}
