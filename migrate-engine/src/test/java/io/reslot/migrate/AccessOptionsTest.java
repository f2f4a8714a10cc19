package io.reslot.migrate;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessOptionsTest {

    @Test
    void defaultsToTheLocalRedisPort() {
        AccessOptions options = AccessOptions.builder().build();

        assertThat(options.seeds()).containsExactly("127.0.0.1:6379");
        assertThat(options.commandTimeout()).isEqualTo(AccessOptions.DEFAULT_COMMAND_TIMEOUT);
        assertThat(options.password()).isNull();
    }

    @Test
    void neverPrintsThePassword() {
        char[] secret = "s3cret".toCharArray();
        AccessOptions options = AccessOptions.builder().user("ops").password(secret).build();
        secret[0] = 'X';

        assertThat(options.toString()).doesNotContain("s3cret").contains("password=***", "user=ops");
        assertThat(options.password()).containsExactly('s', '3', 'c', 'r', 'e', 't');
    }

    @Test
    void rejectsBadSeedsAndTimeouts() {
        assertThatThrownBy(() -> AccessOptions.builder().seeds("10.0.0.1")).hasMessage("'10.0.0.1' is not HOST:PORT");
        assertThatThrownBy(() -> AccessOptions.builder().seeds("h:70000")).hasMessage("'h:70000' is not HOST:PORT");
        assertThatThrownBy(() -> AccessOptions.builder().commandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AccessOptions.HostPort.parse("[::1]:7000")).isEqualTo(new AccessOptions.HostPort("::1", 7000));
    }
}
