package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RenamingTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void comparesNewNamesByContent() {
        Renaming a = new Renaming(Renaming.Outcome.RENAMED, 1, bytes("user:{42}:cart"));
        Renaming b = new Renaming(Renaming.Outcome.RENAMED, 1, bytes("user:{42}:cart"));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Renaming(Renaming.Outcome.RENAMED, 0, bytes("user:{42}:cart")));
        assertThat(a).isNotEqualTo(new Renaming(Renaming.Outcome.ALREADY_TAGGED, 1, bytes("user:{42}:cart")));
        assertThat(a).isNotEqualTo(new Renaming(Renaming.Outcome.RENAMED, 1, bytes("user:{43}:cart")));
    }

    @Test
    void showsTheNewNameAsText() {
        assertThat(new Renaming(Renaming.Outcome.NO_TAG, 2, bytes("user:{}:é")))
                .hasToString("Renaming[NO_TAG, rule 2, user:{}:é]");
        assertThat(Renaming.NO_MATCH).hasToString("Renaming[NO_MATCH]");
    }

    @Test
    void rejectsARuleOrNameThatDoesNotFitTheOutcome() {
        assertThatThrownBy(() -> new Renaming(Renaming.Outcome.RENAMED, -1, bytes("{a}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RENAMED needs the index of the rule that matched and the new name, not rule -1 and a "
                        + "name");
        assertThatThrownBy(() -> new Renaming(Renaming.Outcome.NO_TAG, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NO_TAG needs the index of the rule that matched and the new name, not rule 0 and no "
                        + "name");
        assertThatThrownBy(() -> new Renaming(Renaming.Outcome.NO_MATCH, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NO_MATCH has rule -1 and no new name, not rule 0 and no name");
        assertThatThrownBy(() -> new Renaming(Renaming.Outcome.NO_MATCH, -1, bytes("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NO_MATCH has rule -1 and no new name, not rule -1 and a name");
        assertThatThrownBy(() -> new Renaming(null, -1, null)).isInstanceOf(NullPointerException.class);
    }
}
