package io.reslot.cli;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The valid name nearest to a mistyped one, for "did you mean" in the messages of an unknown command or option.
 * Nearness is the edit distance with adjacent transpositions (optimal string alignment), ignoring case: typos are
 * mostly one letter dropped, doubled, swapped or mistaken.
 */
final class Suggestion {

    private Suggestion() {
    }

    /**
     * What {@code given} may have meant, as {@code 'a'} or {@code --a or --b}, quoted by {@code quote}: every
     * candidate that {@code given} begins (a name cut short: {@code --password} for {@code --password-env} and
     * {@code --password-file}), else the candidate nearest to it if one is near enough (see {@link #nearest}).
     */
    static Optional<String> didYouMean(String given, Collection<String> candidates, String quote) {
        List<String> names = bare(given).length() < 3 ? List.of()
                : candidates.stream().filter(c -> c.startsWith(given)).toList();
        if (names.isEmpty()) {
            names = nearest(given, candidates).stream().toList();
        }
        if (names.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("did you mean " + names.stream().map(n -> quote + n + quote)
                .collect(Collectors.joining(" or ")) + "?");
    }

    /**
     * The candidate nearest to {@code given}, if one is near enough to be what was meant (options compared without
     * their dashes): a third of {@code given}'s
     * length away, at least 1 and at most 3 edits, or only a difference of case for a name shorter than 3 (any
     * one-letter name is one edit from any other); the first of the candidates on a tie.
     */
    static Optional<String> nearest(String given, Collection<String> candidates) {
        String typed = bare(given).toLowerCase(Locale.ROOT);
        int limit = typed.length() < 3 ? 0 : Math.min(3, Math.max(1, typed.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(typed, bare(candidate).toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** {@code name} without the dashes of an option. */
    private static String bare(String name) {
        return name.replaceFirst("^-+", "");
    }

    /** The optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
