package io.reslot.versioning;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChecksumsTest {

    @Test
    void isSha256OfTheUtf8TextWithTheAlgorithmsName() {
        // sha256("abc"), FIPS 180-2 appendix B.1
        assertThat(Checksums.of("abc"))
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Checksums.of(""))
                .isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Checksums.of("é")).isEqualTo(Checksums.sha256("é".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void ignoresLineEndings() {
        String unix = "steps:\n  - drain:\n      node: a\n";

        assertThat(Checksums.of("steps:\r\n  - drain:\r\n      node: a\r\n")).isEqualTo(Checksums.of(unix));
        assertThat(Checksums.of("steps:\r  - drain:\r      node: a\r")).isEqualTo(Checksums.of(unix));
        assertThat(Checksums.of("steps:\r\n  - drain:\r      node: a\n")).isEqualTo(Checksums.of(unix));
    }

    @Test
    void ignoresALeadingByteOrderMarkOnly() {
        assertThat(Checksums.of("\uFEFFabc")).isEqualTo(Checksums.of("abc"));
        assertThat(Checksums.of("\uFEFF")).isEqualTo(Checksums.of(""));
        assertThat(Checksums.of("a\uFEFFbc")).isNotEqualTo(Checksums.of("abc"));
    }

    @Test
    void changesWithAnyOtherChange() {
        String script = "steps:\n  - drain:\n      node: a\n";

        assertThat(Checksums.of(script + " ")).isNotEqualTo(Checksums.of(script));
        assertThat(Checksums.of(script.replace("a", "b"))).isNotEqualTo(Checksums.of(script));
        assertThat(Checksums.of(script.replace("\n", "\n\n"))).isNotEqualTo(Checksums.of(script));
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> Checksums.of(null)).isInstanceOf(NullPointerException.class);
    }
}
