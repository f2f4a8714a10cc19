package io.reslot.rewrite;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RegexGroupsTest {

    private static RegexGroups groups(String regex) {
        return RegexGroups.of(Pattern.compile(regex));
    }

    @Test
    void countsCapturingGroupsOnly() {
        assertThat(groups("^user:(?<id>[0-9]+):(?:a|b)(.*)(?=x)(?<=y)$").count()).isEqualTo(2);
        assertThat(groups("abc").count()).isZero();
    }

    @Test
    void scanFindsNamedGroupsInOrder() {
        assertThat(RegexGroups.scanNames("^(?<kind>[a-z]+):(?<id>[0-9]+)(?<rest>.*)$"))
                .containsExactly("kind", "id", "rest");
    }

    @Test
    void scanSkipsWhatOnlyLooksLikeAGroup() {
        assertThat(RegexGroups.scanNames("\\(?<a>x\\)")).isEmpty();
        assertThat(RegexGroups.scanNames("\\\\(?<b>x)")).containsExactly("b");
        assertThat(RegexGroups.scanNames("[(?<c>x)](?<d>y)")).containsExactly("d");
        assertThat(RegexGroups.scanNames("[a-z&&[^(?<e>)]](?<f>y)")).containsExactly("f");
        assertThat(RegexGroups.scanNames("[]()?<g>](?<h>y)")).containsExactly("h");
        assertThat(RegexGroups.scanNames("[\\](?<i>](?<j>y)")).containsExactly("j");
        assertThat(RegexGroups.scanNames("\\Q(?<k>x)\\E(?<l>y)")).containsExactly("l");
        assertThat(RegexGroups.scanNames("(?<=a)(?<!b)(?<m1>c)")).containsExactly("m1");
    }

    @Test
    void asksTheMatcherWhetherANameIsAGroup() {
        // the scan also finds a name in an (?x) comment; the matcher knows better
        RegexGroups groups = groups("(?x) (?<real>a) # (?<comment>b)");

        assertThat(RegexGroups.scanNames("(?x) (?<real>a) # (?<comment>b)")).containsExactly("real", "comment");
        assertThat(groups.has("real")).isTrue();
        assertThat(groups.has("comment")).isFalse();
        assertThat(groups.has("other")).isFalse();
        assertThat(groups.names()).containsExactly("real");
    }

    @Test
    void knowsGroupsOfARegexThatMatchesOnlyNonEmptyKeys() {
        RegexGroups groups = groups("^user:(?<id>[0-9]+)$");

        assertThat(groups.has("id")).isTrue();
        assertThat(groups.has("user")).isFalse();
    }

    @Test
    void fallsBackOnTheScanWhenTheRegexCannotBeWrapped() {
        // an unclosed \Q quotes the wrapper's own ")|", so only the scan can say
        RegexGroups groups = groups("(?<a>x)\\Q(?<b>y)");

        assertThat(groups.has("a")).isTrue();
        assertThat(groups.has("b")).isFalse();
        assertThat(groups.names()).containsExactly("a");
    }
}
