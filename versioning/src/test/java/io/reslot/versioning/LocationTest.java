package io.reslot.versioning;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocationTest {

    @ParameterizedTest
    @CsvSource({"filesystem:db/redis, db/redis", "db/redis, db/redis", "/abs/dir, /abs/dir",
            "filesystem:/abs/dir, /abs/dir", "'filesystem: spaced', ' spaced'"})
    void readsDirectories(String text, String path) {
        Location location = Location.parse(text);

        assertThat(location.classpath()).isFalse();
        assertThat(location.path()).isEqualTo(path);
        assertThat(location.directory()).isEqualTo(Path.of(path));
        assertThat(location).hasToString("filesystem:" + path);
    }

    @ParameterizedTest
    @CsvSource({"classpath:db/redis, db/redis", "classpath:/db/redis/, db/redis", "classpath: db , db",
            "classpath:com/example/migrations, com/example/migrations"})
    void readsClassPathPackages(String text, String path) {
        Location location = Location.parse(text);

        assertThat(location.classpath()).isTrue();
        assertThat(location.path()).isEqualTo(path);
        assertThat(location).hasToString("classpath:" + path);
    }

    @Test
    void isEqualToWhatItsTextReadsAs() {
        assertThat(Location.parse("db")).isEqualTo(Location.parse("filesystem:db"))
                .isNotEqualTo(Location.parse("classpath:db"));
        assertThat(Location.parse(Location.parse("classpath:/db/").toString())).isEqualTo(Location.parse("classpath:db"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "filesystem:", "filesystem:  "})
    void rejectsAnEmptyDirectory(String text) {
        assertThatThrownBy(() -> Location.parse(text))
                .isInstanceOfSatisfying(VersioningException.class,
                        e -> assertThat(e.code()).isEqualTo(VersioningErrorCode.BAD_SCRIPT))
                .hasMessage("location '" + text + "' names no directory; give filesystem:DIR, classpath:PACKAGE "
                        + "(such as classpath:db/redis) or a directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"classpath:", "classpath:/", "classpath: // "})
    void rejectsAnEmptyPackage(String text) {
        assertThatThrownBy(() -> Location.parse(text))
                .isInstanceOf(VersioningException.class)
                .hasMessage("location '" + text + "' names no package; give filesystem:DIR, classpath:PACKAGE "
                        + "(such as classpath:db/redis) or a directory");
    }

    @Test
    void rejectsAPathThatIsNotValidHere() {
        assertThatThrownBy(() -> Location.parse("db\0x"))
                .isInstanceOf(VersioningException.class)
                .hasMessageStartingWith("location 'db\0x' is not a valid path: ");
    }
}
