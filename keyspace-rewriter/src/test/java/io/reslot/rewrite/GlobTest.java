package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class GlobTest {

    private static boolean matches(String glob, String key) {
        return Glob.of(glob).matches(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The examples of the KEYS documentation (redis.io/commands/keys), which SCAN MATCH shares. */
    @ParameterizedTest
    @CsvSource({
        "h?llo, hello, true", "h?llo, hallo, true", "h?llo, hxllo, true", "h?llo, hllo, false",
        "h*llo, hllo, true", "h*llo, heeeello, true", "h*llo, hello!, false",
        "h[ae]llo, hello, true", "h[ae]llo, hallo, true", "h[ae]llo, hillo, false",
        "h[^e]llo, hallo, true", "h[^e]llo, hbllo, true", "h[^e]llo, hello, false",
        "h[a-b]llo, hallo, true", "h[a-b]llo, hbllo, true", "h[a-b]llo, hcllo, false",
    })
    void followsTheKeysDocumentation(String glob, String key, boolean expected) {
        assertThat(matches(glob, key)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // a backslash makes the next byte literal, inside brackets too
        "h\\*llo      | h*llo   | true",
        "h\\*llo      | hello   | false",
        "h\\?llo      | hello   | false",
        "\\[x]        | [x]     | true",
        "[\\]]x       | ]x      | true",
        "[\\-a]       | -       | true",
        "[\\^]        | ^       | true",
        "[\\^]        | a       | false",
        "\\a          | a       | true",
        // a backslash at the very end is a literal backslash
        "a\\          | a\\     | true",
        // a range may be written backwards, and its ends are included
        "[z-a]        | m       | true",
        "[a-c]        | c       | true",
        "[a-c]        | d       | false",
        // ranges and single bytes mix, and ^ negates the whole class
        "[0-9x]       | x       | true",
        "[^0-9x]      | x       | false",
        "[^0-9x]      | y       | true",
        // '-' first, or last before ']' is a range taking the ']' (see rejectsAClassThatIsNeverClosed)
        "[-a]         | -       | true",
        // []] is an empty class (never matches) followed by a literal ']'
        "[]]          | ]       | false",
        "[^]]         | x]      | true",
        // runs of '*' are one '*'
        "a**b         | ab      | true",
        "a**b         | axxb    | true",
        "*            | x       | true",
        "a*           | a       | true",
        "*a*b*        | xaxbx   | true",
        "*a*b*        | xbxax   | false",
        "user:*       | user:42 | true",
        "user:*       | use     | false",
        // the whole key must match
        "abc          | abcd    | false",
        "abc          | ab      | false",
        "a?           | a       | false",
    })
    void followsRedisStringmatchlen(String glob, String key, boolean expected) {
        assertThat(matches(glob, key)).isEqualTo(expected);
    }

    @Test
    void matchesBytesNotCharacters() {
        // é is two bytes in UTF-8, so it takes two '?'
        assertThat(matches("h??llo", "héllo")).isTrue();
        assertThat(matches("h?llo", "héllo")).isFalse();
        assertThat(matches("h*llo", "héllo")).isTrue();

        byte[] binary = {'k', (byte) 0xFF, 0, 'z'};
        assertThat(Glob.of("k??z").matches(binary)).isTrue();
        assertThat(Glob.of("k*").matches(binary)).isTrue();
        assertThat(Glob.of("k?").matches(binary)).isFalse();
    }

    @Test
    void comparesRangeEndsAsSignedBytesLikeRedisOnX86() {
        // [a-é] is the range 'a'..0xC3, that is 97..-61 as signed bytes, so -61..97: it takes '0' and 0xA9
        // (the second byte of é counts as a literal after the range) but not 'b'.
        assertThat(matches("[a-é]", "0")).isTrue();
        assertThat(matches("[a-é]", "b")).isFalse();
    }

    @Test
    void onlyAStarAloneMatchesTheEmptyKey() {
        // SCAN does not match at all for "*"; stringmatchlen itself matches nothing against an empty string
        assertThat(matches("*", "")).isTrue();
        assertThat(matches("**", "")).isFalse();
        assertThat(matches("?", "")).isFalse();
        assertThat(matches("a*", "")).isFalse();
    }

    @Test
    void givesUpOnAPatternThatDoesNotMatchWithoutTryingEveryRun() {
        // Without Redis's skipLongerMatches this takes exponential time.
        String glob = "a*".repeat(30) + "b";
        byte[] key = "a".repeat(200).getBytes(StandardCharsets.US_ASCII);

        boolean matched = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Glob.of(glob).matches(key));

        assertThat(matched).isFalse();
        assertThat(Glob.of(glob).matches(("a".repeat(200) + "b").getBytes(StandardCharsets.US_ASCII))).isTrue();
    }

    @Test
    void keepsItsText() {
        assertThat(Glob.of("user:[0-9]*").text()).isEqualTo("user:[0-9]*");
        assertThat(Glob.of("user:[0-9]*")).hasToString("user:[0-9]*");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "user:[0-9    | 5",
        "[            | 0",
        "a[^          | 1",
        "x[a-]        | 1",
        "[]]x[ab      | 4",
        "é[ab         | 1",
        "[\\]         | 0",
    })
    void rejectsAClassThatIsNeverClosed(String glob, int index) {
        assertThatThrownBy(() -> Glob.of(glob))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + glob + "'")
                .hasMessageContaining("'[' at index " + index + " that is never closed");
    }

    @Test
    void acceptsEscapedBracketsAndClosedClasses() {
        assertThat(Glob.of("\\[").matches("[".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(Glob.of("[[]").matches("[".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(Glob.of("[a\\]]").matches("]".getBytes(StandardCharsets.US_ASCII))).isTrue();
    }

    @Test
    void rejectsAnEmptyGlob() {
        assertThatThrownBy(() -> Glob.of("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }
}
