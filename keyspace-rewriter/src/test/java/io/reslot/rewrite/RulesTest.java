package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RulesTest {

    private static final Rule USER = new Rule("user:*", "^user:(?<id>[0-9]+):(?<rest>.*)$", "user:{${id}}:${rest}");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Renaming rename(Rules rules, String key) {
        return rules.rename(bytes(key));
    }

    private static Renaming renamed(int rule, String newName) {
        return new Renaming(Renaming.Outcome.RENAMED, rule, bytes(newName));
    }

    /** Asserts that {@code bad}, given as the second rule after a valid one, is rejected with this message. */
    private static void assertRejected(Rule bad, String message) {
        assertThatThrownBy(() -> Rules.of(List.of(USER, bad)))
                .isInstanceOfSatisfying(RewriteException.class,
                        e -> assertThat(e.code()).isEqualTo(RewriteErrorCode.BAD_RULES))
                .hasMessage("rule 2: " + message);
    }

    @Test
    void renamesWithNamedGroups() {
        Rules rules = Rules.of(List.of(USER));

        assertThat(rename(rules, "user:42:profile")).isEqualTo(renamed(0, "user:{42}:profile"));
        assertThat(rename(rules, "user:42:cart")).isEqualTo(renamed(0, "user:{42}:cart"));
        assertThat(rename(rules, "user:42:")).isEqualTo(renamed(0, "user:{42}:"));
    }

    @Test
    void renamesWithNumberedGroups() {
        Rules rules = Rules.of(List.of(new Rule(null, "order:([0-9]+):(.*)", "order:{$1}:${2}"),
                new Rule(null, "(.)(.)(.)(.)(.)(.)(.)(.)(.)(.)(.)(.)", "twelve:{$12}:$0")));

        assertThat(rename(rules, "order:7:lines")).isEqualTo(renamed(0, "order:{7}:lines"));
        assertThat(rename(rules, "abcdefghijkl")).isEqualTo(renamed(1, "twelve:{l}:abcdefghijkl"));
    }

    @Test
    void takesFurtherDigitsOnlyWhileTheyNameAGroupAsAppendReplacementDoes() {
        Rules rules = Rules.of(List.of(new Rule(null, "(a)(b)", "x:{$12}:${1}2")));

        assertThat(rename(rules, "ab")).isEqualTo(renamed(0, "x:{a2}:a2"));
    }

    @Test
    void backslashMakesTheNextCharacterLiteral() {
        Rules rules = Rules.of(List.of(new Rule(null, "^price:(?<id>[0-9]+)$", "price\\$:{${id}}:\\\\:\\${id}")));

        assertThat(rename(rules, "price:9")).isEqualTo(renamed(0, "price$:{9}:\\:${id}"));
    }

    @Test
    void escapedBracesAreLiteralBracesAndSoMakeTheTag() {
        Rules rules = Rules.of(List.of(new Rule(null, "^k:(?<id>[0-9]+)$", "k:\\{${id}\\}")));

        assertThat(rename(rules, "k:5")).isEqualTo(renamed(0, "k:{5}"));
    }

    @Test
    void aGroupThatDidNotTakePartRendersAsNothing() {
        Rules rules = Rules.of(List.of(new Rule(null, "^(?<id>[0-9]+)(?::(?<rest>.*))?$", "{${id}}${rest}")));

        assertThat(rename(rules, "12")).isEqualTo(renamed(0, "{12}"));
        assertThat(rename(rules, "12:x")).isEqualTo(renamed(0, "{12}x"));
    }

    @Test
    void theFirstRuleThatMatchesWins() {
        Rules rules = Rules.of(List.of(
                new Rule("user:*", "^user:(?<id>[0-9]+):.*$", "first:{${id}}"),
                new Rule(null, "^user:(?<id>[0-9]+):(?<rest>.*)$", "second:{${id}}:${rest}"),
                new Rule(null, "^(?<any>.+)$", "third:{${any}}")));

        assertThat(rename(rules, "user:1:a")).isEqualTo(renamed(0, "first:{1}"));
        assertThat(rename(rules, "user:x:a")).isEqualTo(renamed(2, "third:{user:x:a}"));
        assertThat(rename(rules, "other")).isEqualTo(renamed(2, "third:{other}"));
    }

    @Test
    void aKeyMustMatchTheGlobAsWellAsTheRegex() {
        Rules rules = Rules.of(List.of(
                new Rule("session:*", "^(?<kind>[a-z]+):(?<id>[0-9]+)$", "s:{${id}}"),
                new Rule(null, "^(?<kind>[a-z]+):(?<id>[0-9]+)$", "other:{${id}}")));

        assertThat(rename(rules, "session:4")).isEqualTo(renamed(0, "s:{4}"));
        assertThat(rename(rules, "user:4")).isEqualTo(renamed(1, "other:{4}"));
    }

    @Test
    void theRegexMustMatchTheWholeKey() {
        Rules rules = Rules.of(List.of(new Rule(null, "user:(?<id>[0-9]+)", "user:{${id}}")));

        assertThat(rename(rules, "user:42")).isEqualTo(renamed(0, "user:{42}"));
        assertThat(rename(rules, "user:42:profile").outcome()).isEqualTo(Renaming.Outcome.NO_MATCH);
        assertThat(rename(rules, "x:user:42").outcome()).isEqualTo(Renaming.Outcome.NO_MATCH);
    }

    @Test
    void noMatchHasNoRuleAndNoName() {
        Renaming renaming = rename(Rules.of(List.of(USER)), "order:42:lines");

        assertThat(renaming.outcome()).isEqualTo(Renaming.Outcome.NO_MATCH);
        assertThat(renaming.rule()).isEqualTo(-1);
        assertThat(renaming.newName()).isNull();
    }

    @Test
    void skipsAKeyThatIsItsOwnNewName() {
        Rules rules = Rules.of(List.of(new Rule(null, "^user:\\{?(?<id>[0-9]+)\\}?:(?<rest>.*)$",
                "user:{${id}}:${rest}")));

        assertThat(rename(rules, "user:{42}:cart"))
                .isEqualTo(new Renaming(Renaming.Outcome.ALREADY_TAGGED, 0, bytes("user:{42}:cart")));
        assertThat(rename(rules, "user:42:cart")).isEqualTo(renamed(0, "user:{42}:cart"));
    }

    @Test
    void skipsAKeyThatAlreadyHasTheTagOfItsNewName() {
        Rules rules = Rules.of(List.of(new Rule(null, "^(?<head>[^:]*):(?<id>[0-9]+):(?<rest>.*)$",
                "t:{${id}}:${rest}")));

        // another name, but the same tag, so the same slot: nothing to gain by renaming
        assertThat(rename(rules, "{7}:7:x"))
                .isEqualTo(new Renaming(Renaming.Outcome.ALREADY_TAGGED, 0, bytes("t:{7}:x")));
        assertThat(rename(rules, "{8}:7:x")).isEqualTo(renamed(0, "t:{7}:x"));
        assertThat(rename(rules, "old:7:x")).isEqualTo(renamed(0, "t:{7}:x"));
    }

    @Test
    void reportsANewNameWithoutATagInsteadOfRenaming() {
        Rules rules = Rules.of(List.of(new Rule(null, "^user:(?<id>[0-9]*):(?<rest>.*)$", "user:{${id}}:${rest}")));

        Renaming renaming = rename(rules, "user::profile");

        assertThat(renaming).isEqualTo(new Renaming(Renaming.Outcome.NO_TAG, 0, bytes("user:{}:profile")));
    }

    @Test
    void aGroupThatStartsWithABraceCanEmptyTheTag() {
        Rules rules = Rules.of(List.of(new Rule(null, "^k:(?<id>.*)$", "k:{${id}}")));

        assertThat(rename(rules, "k:}x").outcome()).isEqualTo(Renaming.Outcome.NO_TAG);
        assertThat(rename(rules, "k:x}y")).isEqualTo(renamed(0, "k:{x}y}"));
    }

    @Test
    void readsKeysAsUtf8() {
        Rules rules = Rules.of(List.of(USER));

        assertThat(rename(rules, "user:42:café")).isEqualTo(renamed(0, "user:{42}:café"));
        assertThat(rename(rules, "user:42:\u0000\uD83D\uDE00")).isEqualTo(renamed(0, "user:{42}:\u0000\uD83D\uDE00"));
    }

    @Test
    void aKeyThatIsNotUtf8MatchesNoRule() {
        Rules rules = Rules.of(List.of(new Rule(null, "^(?<all>.*)$", "{${all}}")));
        byte[] latin1 = "user:42:caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(rules.rename(latin1)).isEqualTo(Renaming.NO_MATCH);
        assertThat(rules.rename(new byte[] {'u', (byte) 0xFF})).isEqualTo(Renaming.NO_MATCH);
        assertThat(rules.rename(new byte[] {'u', 0, 'v'})).isEqualTo(renamed(0, "{u\u0000v}"));
    }

    @ParameterizedTest
    @CsvSource({
        "'',                 true",
        "41 7A 7F,           true",
        "C3 A9,              true",
        "E2 82 AC,           true",
        "F0 9F 98 80,        true",
        "ED 9F BF,           true",
        "F4 8F BF BF,        true",
        "EF BF BF,           true",
        "80,                 false",
        "BF 41,              false",
        "C0 80,              false",
        "C1 BF,              false",
        "E0 80 80,           false",
        "E0 9F BF,           false",
        "ED A0 80,           false",
        "ED BF BF,           false",
        "F0 8F BF BF,        false",
        "F4 90 80 80,        false",
        "F5 80 80 80,        false",
        "FF,                 false",
        "C3,                 false",
        "E2 82,              false",
        "F0 9F 98,           false",
        "C3 41,              false",
        "E2 82 41,           false",
    })
    void isUtf8FollowsTheUnicodeTable(String hex, boolean expected) {
        String[] parts = hex.isEmpty() ? new String[0] : hex.split(" ");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }

        assertThat(Rules.isUtf8(b)).isEqualTo(expected);
        // the definition it implements: Java decodes it to text that encodes back to the same bytes
        assertThat(Arrays.equals(new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), b))
                .isEqualTo(expected);
    }

    @Test
    void scanGlobIsTheGlobEveryRuleShares() {
        Rule a = new Rule("user:*", "^user:(?<id>[0-9]+)$", "u:{${id}}");
        Rule b = new Rule("user:*", "^user:(?<id>[a-z]+)$", "v:{${id}}");
        Rule other = new Rule("order:*", "^order:(?<id>[0-9]+)$", "o:{${id}}");
        Rule none = new Rule(null, "^x(?<id>[0-9]+)$", "x:{${id}}");

        assertThat(Rules.of(List.of(a)).scanGlob()).isEqualTo("user:*");
        assertThat(Rules.of(List.of(a, b)).scanGlob()).isEqualTo("user:*");
        assertThat(Rules.of(List.of(a, other)).scanGlob()).isNull();
        assertThat(Rules.of(List.of(a, none)).scanGlob()).isNull();
        assertThat(Rules.of(List.of(none, a)).scanGlob()).isNull();
        assertThat(Rules.of(List.of(none)).scanGlob()).isNull();
    }

    @Test
    void keepsTheRulesInOrderAndUnmodifiable() {
        List<Rule> given = new ArrayList<>(List.of(USER, new Rule(null, "^(?<k>.+)$", "{${k}}")));
        Rules rules = Rules.of(given);
        given.clear();

        assertThat(rules.rules()).containsExactly(USER, new Rule(null, "^(?<k>.+)$", "{${k}}"));
        assertThatThrownBy(() -> rules.rules().add(USER)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void renamesFromManyThreadsAtOnce() throws Exception {
        Rules rules = Rules.of(List.of(USER, new Rule("order:*", "^order:(?<id>[0-9]+):(?<rest>.*)$",
                "order:{${id}}:${rest}")));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int right = 0;
                    for (int i = 0; i < 20_000; i++) {
                        String kind = (i + thread) % 2 == 0 ? "user" : "order";
                        String id = Integer.toString(thread * 100_000 + i);
                        Renaming r = rename(rules, kind + ":" + id + ":f" + i);
                        if (new String(r.newName(), StandardCharsets.UTF_8)
                                .equals(kind + ":{" + id + "}:f" + i)) {
                            right++;
                        }
                    }
                    return right;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(20_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsNoRulesAtAll() {
        assertThatThrownBy(() -> Rules.of(List.of()))
                .isInstanceOfSatisfying(RewriteException.class,
                        e -> assertThat(e.code()).isEqualTo(RewriteErrorCode.BAD_RULES))
                .hasMessage("there are no rules; give at least one");
    }

    @Test
    void rejectsANullRule() {
        assertThatThrownBy(() -> Rules.of(Arrays.asList(USER, null)))
                .isInstanceOf(RewriteException.class)
                .hasMessage("rule 2 is null; give it 'regex', 'to' and optionally 'match'");
    }

    @Test
    void rejectsAMissingOrBlankRegex() {
        assertRejected(new Rule(null, null, "{x}"), "'regex' is missing; give a regular expression that matches the "
                + "whole key, with groups for the parts the new name keeps");
        assertRejected(new Rule(null, " \t", "{x}"), "'regex' is blank; give a regular expression that matches the "
                + "whole key, with groups for the parts the new name keeps");
    }

    @Test
    void rejectsAMissingOrBlankTemplate() {
        assertRejected(new Rule(null, "(x)", null), "'to' is missing; give the new name, such as "
                + "user:{${id}}:${rest}");
        assertRejected(new Rule(null, "(x)", ""), "'to' is blank; give the new name, such as user:{${id}}:${rest}");
    }

    @Test
    void rejectsAnInvalidRegexWithJavasDescriptionAndIndex() {
        assertRejected(new Rule(null, "^user:(?<id>[0-9]+", "{${id}}"),
                "the regex '^user:(?<id>[0-9]+' is not valid: Unclosed group near index 18");
        assertRejected(new Rule(null, "a{2,1}", "{x}"),
                "the regex 'a{2,1}' is not valid: Illegal repetition range near index 5");
    }

    @Test
    void rejectsATemplateNamingAGroupTheRegexDoesNotHave() {
        assertRejected(new Rule(null, "^user:(?<id>[0-9]+):(?<rest>.*)$", "user:{${idd}}:${rest}"),
                "the template 'user:{${idd}}:${rest}' refers to group 'idd' at index 6, which the regex does not "
                        + "have (its named groups: id, rest)");
        assertRejected(new Rule(null, "^user:([0-9]+)$", "user:{${id}}"),
                "the template 'user:{${id}}' refers to group 'id' at index 6, which the regex does not have (it has "
                        + "no named groups)");
    }

    @Test
    void rejectsAGroupNameThatIsOnlyTextOfTheRegex() {
        // escaped parentheses, a character class and a quotation only look like groups
        assertRejected(new Rule(null, "^\\(?<a>x\\)[(?<b>y)]\\Q(?<c>z)\\E(?<real>.*)$", "{${a}}"),
                "the template '{${a}}' refers to group 'a' at index 1, which the regex does not have (its named "
                        + "groups: real)");
        assertRejected(new Rule(null, "^[(?<b>y)](?<real>.*)$", "{${b}}"),
                "the template '{${b}}' refers to group 'b' at index 1, which the regex does not have (its named "
                        + "groups: real)");
        assertRejected(new Rule(null, "(?x) (?<real>.*) # (?<comment>.*)", "{${comment}}"),
                "the template '{${comment}}' refers to group 'comment' at index 1, which the regex does not have "
                        + "(its named groups: real)");
    }

    @Test
    void rejectsAGroupNumberBeyondTheRegexsGroups() {
        assertRejected(new Rule(null, "^(a)(b)$", "{$3}"),
                "the template '{$3}' refers to group 3 at index 1, but the regex has only 2 groups");
        assertRejected(new Rule(null, "^(a)(b)$", "{${12}}"),
                "the template '{${12}}' refers to group 12 at index 1, but the regex has only 2 groups");
        assertRejected(new Rule(null, "^(a)$", "{$2}"),
                "the template '{$2}' refers to group 2 at index 1, but the regex has only 1 group");
        assertRejected(new Rule(null, "^a$", "{$1}"),
                "the template '{$1}' refers to group 1 at index 1, but the regex has no groups");
        assertRejected(new Rule(null, "^(a)$", "{${99999999999}}"),
                "the template '{${99999999999}}' refers to group 99999999999 at index 1, but the regex has only 1 "
                        + "group");
    }

    @Test
    void acceptsGroupZeroAsTheWholeKey() {
        Rules rules = Rules.of(List.of(new Rule(null, "^[a-z]+$", "w:{$0}:${0}")));

        assertThat(rename(rules, "abc")).isEqualTo(renamed(0, "w:{abc}:abc"));
    }

    @Test
    void rejectsAMalformedGroupReference() {
        Rule base = new Rule(null, "^(?<id>[0-9]+)$", null);
        assertRejected(new Rule(null, base.regex(), "{${id}}:${id"),
                "the template '{${id}}:${id' has '${' at index 8 with no '}' after it; write ${name} or ${number}, or "
                        + "\\$ for a literal '$'");
        assertRejected(new Rule(null, base.regex(), "{${id}}:$x"),
                "the template '{${id}}:$x' has '$' at index 8 followed by neither a group number nor '{'; write \\$ "
                        + "for a literal '$'");
        assertRejected(new Rule(null, base.regex(), "{${id}}$"),
                "the template '{${id}}$' ends with a lone '$'; write \\$ for a literal '$'");
        assertRejected(new Rule(null, base.regex(), "{${id}}\\"),
                "the template '{${id}}\\' ends with a lone '\\'; write \\\\ for a literal backslash");
        assertRejected(new Rule(null, base.regex(), "{${}}"),
                "the template '{${}}' has '${}' at index 1; between '${' and '}' write a group number, or a group "
                        + "name (a letter, then letters and digits)");
        assertRejected(new Rule(null, base.regex(), "{${1d}}"),
                "the template '{${1d}}' has '${1d}' at index 1; between '${' and '}' write a group number, or a group "
                        + "name (a letter, then letters and digits)");
        assertRejected(new Rule(null, base.regex(), "{${i-d}}"),
                "the template '{${i-d}}' has '${i-d}' at index 1; between '${' and '}' write a group number, or a "
                        + "group name (a letter, then letters and digits)");
    }

    @Test
    void rejectsATemplateWithoutATag() {
        assertRejected(new Rule(null, "^user:(?<id>[0-9]+)$", "user-${id}"),
                "the template 'user-${id}' has no '{', so the names it gives have no hash tag: put the part that "
                        + "related keys share between '{' and '}'");
        assertRejected(new Rule(null, "^user:(?<id>[0-9]+)$", "user:{${id}"),
                "the template 'user:{${id}' has no '}' after its first '{', so the names it gives have no hash tag: "
                        + "close the tag with '}'");
        assertRejected(new Rule(null, "^user:(?<id>[0-9]+)$", "user:{}:{${id}}"),
                "the template 'user:{}:{${id}}' has nothing between its first '{' and the '}' after it, and Redis "
                        + "hashes the whole key when that is empty; put text or a group there");
    }

    @Test
    void rejectsAGroupBeforeTheTag() {
        assertRejected(new Rule(null, "^(?<kind>[a-z]+):(?<id>[0-9]+)$", "${kind}:{${id}}"),
                "the template '${kind}:{${id}}' puts group ${kind} before its first '{': the group's text could "
                        + "contain '{' or '}' and so move the hash tag; put only literal text before the first '{'");
        assertRejected(new Rule(null, "^([a-z]+):([0-9]+)$", "$1:{$2}"),
                "the template '$1:{$2}' puts group $1 before its first '{': the group's text could contain '{' or "
                        + "'}' and so move the hash tag; put only literal text before the first '{'");
    }

    @Test
    void acceptsAFixedTagAndGroupsAfterIt() {
        Rules rules = Rules.of(List.of(new Rule(null, "^(?<kind>[a-z]+):(?<id>[0-9]+)$", "{all}:${kind}:${id}")));

        assertThat(rename(rules, "user:1")).isEqualTo(renamed(0, "{all}:user:1"));
    }

    @Test
    void rejectsAnInvalidGlob() {
        assertRejected(new Rule("user:[0-9*", "^user:(?<id>[0-9]+)$", "u:{${id}}"),
                "the glob 'user:[0-9*' has a '[' at index 5 that is never closed by ']'; write \\[ for a literal '['");
        assertRejected(new Rule("", "^user:(?<id>[0-9]+)$", "u:{${id}}"),
                "the glob is empty, so it matches only the empty key; leave 'match' out to try the regex on every "
                        + "key");
    }

    @Test
    void rejectsANullList() {
        assertThatThrownBy(() -> Rules.of(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Rules.of(List.of(USER)).rename(null)).isInstanceOf(NullPointerException.class);
    }
}
