package io.reslot.cli;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TextTableTest {

    @Test
    void padsColumnsToTheWidestCellWithoutTrailingBlanks() {
        assertThat(TextTable.of(List.of(List.of("A", "BB", "C"), List.of("long cell", "x", "")))).isEqualTo("""
                A          BB  C
                long cell  x
                """);
    }

    @Test
    void rejectsARowWiderThanTheHeader() {
        assertThatIllegalArgumentException().isThrownBy(() -> TextTable.of(List.of(List.of("A"), List.of("1", "2"))));
    }
}
