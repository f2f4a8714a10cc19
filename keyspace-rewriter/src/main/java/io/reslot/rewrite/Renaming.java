package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link Rules#rename} decided for one key.
 *
 * @param outcome what happens to the key
 * @param rule the index in {@link Rules#rules()} of the rule that matched (0 for the first; messages number rules
 *     from 1), -1 for {@link Outcome#NO_MATCH}
 * @param newName the name the rule gives the key, as UTF-8 bytes; null for {@link Outcome#NO_MATCH}. It is not
 *     copied, so that deciding costs one array per key: do not change it
 */
public record Renaming(Outcome outcome, int rule, byte[] newName) {

    /** What happens to a key. */
    public enum Outcome {
        /** No rule matches the key (or it is not UTF-8): it keeps its name. */
        NO_MATCH,
        /**
         * A rule matches, but the key already has the hash tag its new name would have (its new name may even be
         * its name): it is in the right slot already and keeps its name.
         */
        ALREADY_TAGGED,
        /**
         * A rule matches, but the name it gives has no hash tag (a group inside the braces matched nothing, so the
         * name has {@code "{}"}): the key keeps its name and is reported.
         */
        NO_TAG,
        /** The key is to be renamed to {@link #newName()}. */
        RENAMED
    }

    static final Renaming NO_MATCH = new Renaming(Outcome.NO_MATCH, -1, null);

    /**
     * @throws IllegalArgumentException if {@code rule} and {@code newName} do not fit {@code outcome}: -1 and null
     *     for NO_MATCH, an index of 0 or more and a name otherwise
     * @throws NullPointerException if {@code outcome} is null
     */
    public Renaming {
        Objects.requireNonNull(outcome, "outcome");
        // Checked without a varargs helper: a Renaming is made for every key that a rule matches.
        boolean matched = outcome != Outcome.NO_MATCH;
        if (matched ? rule < 0 || newName == null : rule != -1 || newName != null) {
            throw new IllegalArgumentException((matched
                    ? outcome + " needs the index of the rule that matched and the new name"
                    : "NO_MATCH has rule -1 and no new name")
                    + ", not rule " + rule + " and " + (newName == null ? "no name" : "a name"));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Renaming r && outcome == r.outcome && rule == r.rule && Arrays.equals(newName, r.newName);
    }

    @Override
    public int hashCode() {
        return (outcome.hashCode() * 31 + rule) * 31 + Arrays.hashCode(newName);
    }

    /** For logs and test failures: the new name as text. */
    @Override
    public String toString() {
        return newName == null ? "Renaming[" + outcome + "]" : "Renaming[" + outcome + ", rule " + rule + ", "
                + new String(newName, StandardCharsets.UTF_8) + "]";
    }
}
