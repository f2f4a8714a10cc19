package io.reslot.cli;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HexTest {

    @Test
    void decodesEitherCaseAndEncodesLowerCase() {
        byte[] text = "x00fFa7X".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[3];

        assertThat(Hex.decode(text, 1, 6, bytes)).isEqualTo(3);
        assertThat(bytes).containsExactly(0x00, 0xff, 0xa7);

        byte[] encoded = new byte[8];
        assertThat(Hex.encode(bytes, 0, 3, encoded, 1)).isEqualTo(7);
        assertThat(new String(encoded, 1, 6, StandardCharsets.US_ASCII)).isEqualTo("00ffa7");
    }

    @Test
    void namesTheFirstBadByteBeforeComplainingAboutOddLength() {
        byte[] dst = new byte[8];

        assertThatThrownBy(() -> Hex.decode("abg".getBytes(StandardCharsets.US_ASCII), 0, 3, dst))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'g' at offset 2 is not a hex digit");
        assertThatThrownBy(() -> Hex.decode(new byte[] {'a', ' '}, 0, 2, dst))
                .hasMessage("byte 0x20 at offset 1 is not a hex digit");
        assertThatThrownBy(() -> Hex.decode("abc".getBytes(StandardCharsets.US_ASCII), 0, 3, dst))
                .hasMessage("odd number of hex digits (3)");
    }
}
