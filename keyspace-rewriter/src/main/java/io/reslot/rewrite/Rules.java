package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.reslot.slot.HashTag;

/**
 * Which keys get which new name: an ordered list of {@link Rule}s, every one checked when the list is made, so that a
 * mistake shows before any key is touched.
 *
 * <p>A key matches a rule when it matches the rule's glob, if it has one, and its regex matches the whole key. The
 * first rule that matches decides, and the key's new name is that rule's template filled with the regex's groups.
 * Keys are bytes; a rule sees a key as UTF-8 text (the glob sees its bytes, as Redis does), and a key that is not
 * valid UTF-8 matches no rule.
 *
 * <p>Checks made by {@link #of}, each failing with {@link RewriteErrorCode#BAD_RULES} and a message that names the
 * rule (numbered from 1) and says what is wrong:
 * <ul>
 *   <li>there is at least one rule;
 *   <li>a glob is not empty and closes every {@code [};
 *   <li>the regex and the template are not blank, and the regex has at most {@link #MAX_REGEX_LENGTH} characters and
 *       compiles;
 *   <li>every group reference of the template is well formed and names a group of the regex;
 *   <li>every name the template gives has a hash tag that the template fixes: its first {@code '{'} is followed by a
 *       {@code '}'} with text or a group between them, and no group comes before that {@code '{'} (a group's text
 *       could contain a brace and so move the tag). A group inside the tag can still match nothing; {@link #rename}
 *       then reports the key rather than renaming it.
 * </ul>
 *
 * <p>Rules files are JSON ({@code .json}) or YAML ({@code .yaml}, {@code .yml}):
 * <pre>{@code
 * rules:
 *   - match: "user:*"
 *     regex: '^user:(?<id>[0-9]+):(?<rest>.*)$'
 *     to: 'user:{${id}}:${rest}'
 * }</pre>
 *
 * <p>Immutable and thread-safe: {@link #rename} may be called from many threads at once.
 */
public final class Rules {

    /**
     * The longest regex a rule may have, in characters. Far above any regex a key needs, and a bound on the time
     * {@link Pattern#compile} takes, which grows with the square of the length of a literal run (100,000 characters
     * take seconds).
     */
    public static final int MAX_REGEX_LENGTH = 4096;

    private final List<Rule> rules;
    private final Compiled[] compiled;
    private final String scanGlob;

    private Rules(List<Rule> rules, Compiled[] compiled) {
        this.rules = rules;
        this.compiled = compiled;
        this.scanGlob = commonGlob(rules);
    }

    /**
     * Checks {@code rules} and returns them, in order.
     *
     * @throws RewriteException {@link RewriteErrorCode#BAD_RULES} naming the first rule that fails a check (see the
     *     class comment) and why, or saying that there are no rules
     * @throws NullPointerException if {@code rules} is null
     */
    public static Rules of(List<Rule> rules) {
        return of(rules, (rule, property) -> "");
    }

    /**
     * Reads and checks a rules file: JSON if its name ends in {@code .json}, YAML if in {@code .yaml} or
     * {@code .yml}, with or without a byte order mark.
     *
     * @throws RewriteException {@link RewriteErrorCode#BAD_RULES} if the file cannot be read, has another name, is
     *     not well-formed, does not have the shape {@code {"rules": [{"match": ..., "regex": ..., "to": ...}]}}
     *     (unknown or repeated properties, values that are not strings, no rules), uses a YAML alias
     *     ({@code *name}), or a rule fails a check of {@link #of}. The message starts with the file's name, followed
     *     by {@code :line:column} when the problem is at a place in the file
     * @throws NullPointerException if {@code file} is null
     */
    public static Rules parse(Path file) {
        return RulesFile.read(file);
    }

    /**
     * Checks rules from the text of a rules file, as {@link #parse(Path)} does.
     *
     * @param fileName the file's name: its ending gives the format, and messages start with it
     * @throws RewriteException as {@link #parse(Path)}
     * @throws NullPointerException if an argument is null
     */
    public static Rules parse(String text, String fileName) {
        return RulesFile.parse(text, fileName);
    }

    /**
     * Checks {@code rules}; each message starts with {@code where.at(rule index, property)} ({@code -1} and null
     * when it is about the whole list, null when it is about the whole rule).
     */
    static Rules of(List<Rule> rules, Where where) {
        Objects.requireNonNull(rules, "rules");
        if (rules.isEmpty()) {
            throw bad(where.at(-1, null) + "there are no rules; give at least one");
        }
        Compiled[] compiled = new Compiled[rules.size()];
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = compile(i, rules.get(i), where);
        }
        return new Rules(List.copyOf(rules), compiled);
    }

    /** The rules, in the order they are tried. */
    public List<Rule> rules() {
        return rules;
    }

    /**
     * The glob to give {@code SCAN ... MATCH}: the rules' glob when they all have the same one, else null (scan
     * every key, and let {@link #rename} filter).
     */
    public String scanGlob() {
        return scanGlob;
    }

    /**
     * Decides the new name of {@code key}: finds the first rule it matches and renders that rule's template.
     *
     * @return {@link Renaming.Outcome#NO_MATCH} if no rule matches; else {@link Renaming.Outcome#NO_TAG} if the
     *     new name has no hash tag, {@link Renaming.Outcome#ALREADY_TAGGED} if the key's hash tag is already that of
     *     the new name, and {@link Renaming.Outcome#RENAMED} otherwise, with the rule's index and the new name
     * @throws NullPointerException if {@code key} is null
     */
    public Renaming rename(byte[] key) {
        Objects.requireNonNull(key, "key");
        String text = null;
        for (int i = 0; i < compiled.length; i++) {
            Compiled rule = compiled[i];
            if (rule.glob() != null && !rule.glob().matches(key)) {
                continue;
            }
            if (text == null) {
                if (!isUtf8(key)) {
                    return Renaming.NO_MATCH;
                }
                text = new String(key, StandardCharsets.UTF_8);
            }
            // A Matcher is cheap, and one per call keeps the shared rules free of per-thread state.
            Matcher matcher = rule.pattern().matcher(text);
            if (matcher.matches()) {
                return rename(i, rule.template(), matcher, text);
            }
        }
        return Renaming.NO_MATCH;
    }

    private static Renaming rename(int index, Template template, Matcher matcher, String key) {
        StringBuilder name = new StringBuilder(key.length() + 8);
        template.render(matcher, key, name);
        String tag = HashTag.of(name);
        byte[] newName = name.toString().getBytes(StandardCharsets.UTF_8);
        if (tag == null) {
            return new Renaming(Renaming.Outcome.NO_TAG, index, newName);
        }
        return new Renaming(tag.equals(HashTag.of(key)) ? Renaming.Outcome.ALREADY_TAGGED : Renaming.Outcome.RENAMED,
                index, newName);
    }

    @Override
    public String toString() {
        return "Rules" + rules;
    }

    private static Compiled compile(int index, Rule rule, Where where) {
        String name = "rule " + (index + 1) + ": ";
        if (rule == null) {
            throw bad(where.at(index, null) + "rule " + (index + 1) + " is null; give it 'regex', 'to' and "
                    + "optionally 'match'");
        }
        Glob glob = null;
        if (rule.match() != null) {
            try {
                glob = Glob.of(rule.match());
            } catch (IllegalArgumentException e) {
                throw bad(where.at(index, "match") + name + e.getMessage());
            }
        }
        if (isBlank(rule.regex())) {
            throw bad(where.at(index, rule.regex() == null ? null : "regex") + name + "'regex' is "
                    + (rule.regex() == null ? "missing" : "blank") + "; give a regular expression that matches the "
                    + "whole key, with groups for the parts the new name keeps");
        }
        if (rule.regex().length() > MAX_REGEX_LENGTH) {
            throw bad(where.at(index, "regex") + name + "the regex is " + rule.regex().length() + " characters long; "
                    + "give one of at most " + MAX_REGEX_LENGTH);
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(rule.regex());
        } catch (PatternSyntaxException e) {
            throw bad(where.at(index, "regex") + name + "the regex '" + rule.regex() + "' is not valid: "
                    + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
        }
        if (isBlank(rule.to())) {
            throw bad(where.at(index, rule.to() == null ? null : "to") + name + "'to' is "
                    + (rule.to() == null ? "missing" : "blank") + "; give the new name, such as user:{${id}}:${rest}");
        }
        Template template;
        try {
            template = Template.parse(rule.to(), RegexGroups.of(pattern));
        } catch (IllegalArgumentException e) {
            throw bad(where.at(index, "to") + name + e.getMessage());
        }
        return new Compiled(glob, pattern, template);
    }

    private static String commonGlob(List<Rule> rules) {
        String glob = rules.get(0).match();
        for (Rule rule : rules) {
            if (glob == null || !glob.equals(rule.match())) {
                return null;
            }
        }
        return glob;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static RewriteException bad(String message) {
        return new RewriteException(RewriteErrorCode.BAD_RULES, message);
    }

    /**
     * Whether {@code b} is well-formed UTF-8, which is when Java decodes it to text that encodes back to the same
     * bytes: no stray continuation bytes, truncated sequences, overlong forms, surrogates or code points above
     * U+10FFFF (Unicode, table 3-7).
     */
    static boolean isUtf8(byte[] b) {
        int n = b.length;
        int i = 0;
        while (i < n) {
            int lead = b[i];
            if (lead >= 0) {
                i++;
                continue;
            }
            lead &= 0xFF;
            if (lead < 0xC2 || lead > 0xF4) {
                return false;
            }
            int length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
            if (i + length > n) {
                return false;
            }
            int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
            int high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
            int second = b[i + 1] & 0xFF;
            if (second < low || second > high) {
                return false;
            }
            for (int k = 2; k < length; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += length;
        }
        return true;
    }

    /** Where a problem is, as the start of its message: empty, or {@code file:line:column: }. */
    @FunctionalInterface
    interface Where {
        String at(int rule, String property);
    }

    private record Compiled(Glob glob, Pattern pattern, Template template) {
    }
}
