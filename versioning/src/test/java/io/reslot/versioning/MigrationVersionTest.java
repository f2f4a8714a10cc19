package io.reslot.versioning;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationVersionTest {

    private static MigrationVersion v(String text) {
        return MigrationVersion.parse(text);
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "1.2, 1.2", "1.10.3, 1.10.3", "1_2, 1.2", "1_2.3, 1.2.3", "1.0, 1.0", "007, 007"})
    void keepsTheTextAsWrittenWithDots(String text, String shown) {
        assertThat(v(text)).hasToString(shown);
    }

    @ParameterizedTest
    @CsvSource({"1.10, 1.9", "2, 1.999", "1.0.1, 1", "10, 9", "1.2.0.1, 1.2", "0.1, 0"})
    void comparesPartByPartAsNumbers(String larger, String smaller) {
        assertThat(v(larger)).isGreaterThan(v(smaller));
        assertThat(v(smaller)).isLessThan(v(larger));
        assertThat(v(larger)).isNotEqualTo(v(smaller));
    }

    @ParameterizedTest
    @CsvSource({"1, 1.0", "1, 1.0.0", "1.2, 1_2", "01.02, 1.2", "0, 0.0", "3.0.0, 3"})
    void ignoresTrailingZerosAndLeadingZerosInEqualsCompareToAndHashCode(String a, String b) {
        assertThat(v(a)).isEqualByComparingTo(v(b));
        assertThat(v(a)).isEqualTo(v(b));
        assertThat(v(a).hashCode()).isEqualTo(v(b).hashCode());
    }

    @Test
    void sortsNumerically() {
        List<MigrationVersion> versions = new ArrayList<>();
        for (String s : List.of("1.10", "2", "1.9", "1", "1.9.1", "10", "1.2")) {
            versions.add(v(s));
        }
        versions.sort(null);

        assertThat(versions).map(MigrationVersion::toString)
                .containsExactly("1", "1.2", "1.9", "1.9.1", "1.10", "2", "10");
    }

    @Test
    void acceptsPartsOfAnyLength() {
        MigrationVersion huge = v("1.99999999999999999999999999999999999");

        assertThat(huge).isGreaterThan(v("1.99999999999999999999999999999999998"));
        assertThat(huge).isLessThan(v("2"));
        assertThat(v("20260101120000")).isGreaterThan(v("20251231235959"));
    }

    @Test
    void rejectsAnEmptyVersion() {
        assertThatThrownBy(() -> v(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a migration version is empty; give whole numbers separated by dots, such as 1 or 1.2");
    }

    @ParameterizedTest
    @ValueSource(strings = {".1", "1.", "1..2", "1__2", "_1", "."})
    void rejectsEmptyParts(String text) {
        assertThatThrownBy(() -> v(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid migration version \"" + text + "\": a part is empty; give whole numbers "
                        + "separated by dots, such as 1 or 1.2");
    }

    @ParameterizedTest
    @CsvSource({"-1, -1", "1.-2, -2", "1a, 1a", "v1, v1", "' 1', ' 1'", "1.2b, 2b", "+3, +3", "１, １"})
    void rejectsPartsThatAreNotWholeNumbers(String text, String part) {
        assertThatThrownBy(() -> v(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid migration version \"" + text + "\": \"" + part + "\" is not a whole number; "
                        + "give whole numbers separated by dots, such as 1 or 1.2");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> v(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void serialisesAsItsText() throws Exception {
        ObjectMapper mapper = new ObjectMapper();

        assertThat(mapper.writeValueAsString(v("1_10"))).isEqualTo("\"1.10\"");
        assertThat(mapper.readValue("\"2.3\"", MigrationVersion.class)).isEqualTo(v("2.3"));
    }
}
