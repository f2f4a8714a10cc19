package io.reslot.versioning;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationNameTest {

    @ParameterizedTest
    @CsvSource({
            "V1__Move_first_slots, 1, Move first slots",
            "V1_2__x, 1.2, x",
            "V1.2.3__Retag users, 1.2.3, Retag users",
            "V10__, 10, ''",
            "V2__a__b, 2, a  b",
            "V3__Split_hot_tags, 3, Split hot tags",
    })
    void readsVersionAndDescription(String name, String version, String description) {
        MigrationName parsed = MigrationName.parse(name);

        assertThat(parsed.version()).hasToString(version);
        assertThat(parsed.description()).isEqualTo(description);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1__x", "V1_x", "V1", "X1__x", "Values", ""})
    void rejectsANameWithoutTheShape(String name) {
        assertThatThrownBy(() -> MigrationName.parse(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + name + "\" is not a migration name; name a migration V<version>__<description>, "
                        + "such as V1__Move_first_slots or V1_2__Retag_users");
    }

    @ParameterizedTest
    @CsvSource({"V__x, a migration version is empty", "Va__x, \"a\" is not a whole number",
            "V1.__x, a part is empty", "V-1__x, \"-1\" is not a whole number"})
    void rejectsANameWithABadVersion(String name, String reason) {
        assertThatThrownBy(() -> MigrationName.parse(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("\"" + name + "\" is not a migration name: ")
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource({"V1__x, true", "V1_2__Split, true", "V12, false", "Validator, false", "V__x, false", "v1__x, false",
            "Va__x, false"})
    void tellsClassNamesMeantAsMigrationsFromOthers(String name, boolean versioned) {
        assertThat(MigrationName.looksVersioned(name)).isEqualTo(versioned);
    }
}
