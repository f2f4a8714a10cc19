package io.reslot.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LineReaderTest {

    @Test
    void splitsOnLfAndDropsOneCrBeforeIt() throws IOException {
        assertThat(lines("a\nb\r\n\r\nc\r\r\nd")).containsExactly("a", "b", "", "c\r", "d");
    }

    @Test
    void dropsACrAtTheEndOfInput() throws IOException {
        assertThat(lines("a\r")).containsExactly("a");
    }

    @Test
    void hasNoLinesForEmptyInputAndNoEmptyLineAfterAFinalLf() throws IOException {
        assertThat(lines("")).isEmpty();
        assertThat(lines("\n")).containsExactly("");
        assertThat(lines("a\n")).containsExactly("a");
    }

    @Test
    void numbersLinesFromOne() throws IOException {
        LineReader reader = new LineReader(new ByteArrayInputStream("x\ny\n".getBytes(StandardCharsets.US_ASCII)));

        assertThat(reader.next()).isTrue();
        assertThat(reader.number()).isEqualTo(1);
        assertThat(reader.next()).isTrue();
        assertThat(reader.number()).isEqualTo(2);
        assertThat(reader.next()).isFalse();
    }

    @Test
    void growsForLinesLongerThanItsBuffer() throws IOException {
        String longLine = "k".repeat(300_000);

        assertThat(lines("a\n" + longLine + "\r\nb")).containsExactly("a", longLine, "b");
    }

    private static List<String> lines(String input) throws IOException {
        LineReader reader = new LineReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        List<String> lines = new ArrayList<>();
        while (reader.next()) {
            lines.add(new String(reader.buffer(), reader.start(), reader.length(), StandardCharsets.UTF_8));
        }
        return lines;
    }
}
