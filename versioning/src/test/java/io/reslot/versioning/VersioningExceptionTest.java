package io.reslot.versioning;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersioningExceptionTest {

    @Test
    void carriesItsCodeMessageAndCause() {
        IOException cause = new IOException("disk");
        VersioningException e = new VersioningException(VersioningErrorCode.LOCKED, "held by x", cause);

        assertThat(e).isInstanceOf(RuntimeException.class).hasMessage("held by x").hasCause(cause);
        assertThat(e.code()).isEqualTo(VersioningErrorCode.LOCKED);
        assertThat(VersioningException.badScript("m").code()).isEqualTo(VersioningErrorCode.BAD_SCRIPT);
    }

    @Test
    void needsACode() {
        assertThatThrownBy(() -> new VersioningException(null, "m")).isInstanceOf(NullPointerException.class);
    }
}
