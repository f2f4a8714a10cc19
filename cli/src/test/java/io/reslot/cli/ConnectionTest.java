package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.reslot.migrate.AccessOptions;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionTest {

    @TempDir
    Path tmp;

    /** The global options of {@code before} (ahead of the command name) and {@code after} (among its options). */
    private static GlobalOptions.Given given(List<String> before, List<String> after) throws ParseException {
        DefaultParser parser = new DefaultParser();
        CommandLine first = parser.parse(GlobalOptions.create(), before.toArray(new String[0]));
        CommandLine second = parser.parse(GlobalOptions.create(), after.toArray(new String[0]));
        return GlobalOptions.read(first, second);
    }

    private static AccessOptions options(Map<String, String> env, String... args) throws ParseException {
        return Connection.accessOptions(given(List.of(args), List.of()), env);
    }

    @Test
    void usesTheDefaultSeedWithoutCredentials() throws ParseException {
        AccessOptions options = options(Map.of());

        assertThat(options.seeds()).containsExactly("127.0.0.1:6379");
        assertThat(options.user()).isNull();
        assertThat(options.password()).isNull();
        assertThat(options.tls()).isFalse();
    }

    @Test
    void addsUpSeedsFromRepeatedOptionsOnBothSidesOfTheCommandAndFromCommas() throws ParseException {
        GlobalOptions.Given given = given(List.of("-c", "10.0.0.1:7000", "--cluster", "10.0.0.2:7000,10.0.0.3:7000"),
                List.of("-c", "[::1]:7001", "--tls"));

        AccessOptions options = Connection.accessOptions(given, Map.of(Connection.CLUSTER_ENV, "10.9.9.9:1"));

        assertThat(options.seeds()).containsExactly("10.0.0.1:7000", "10.0.0.2:7000", "10.0.0.3:7000", "[::1]:7001");
        assertThat(options.tls()).isTrue();
    }

    @Test
    void trustsTheCertificatesOfATlsCaFileAndImpliesTls() throws Exception {
        Path ca = java.nio.file.Files.writeString(tmp.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");

        AccessOptions options = options(Map.of(), "--tls-ca", ca.toString());

        assertThat(options.tls()).isTrue();
        assertThat(options.tlsCaFile()).isEqualTo(ca);
    }

    @Test
    void refusesAMissingTlsCaFileNamingIt() {
        String missing = tmp.resolve("nope.crt").toString();

        assertThatThrownBy(() -> options(Map.of(), "--tls-ca", missing)).isInstanceOf(UsageException.class)
                .hasMessage("--tls-ca: cannot read certificates from '" + missing + "': no such file");
        assertThatThrownBy(() -> options(Map.of(), "--tls-ca", tmp.toString())).isInstanceOf(UsageException.class)
                .hasMessageContaining("not a readable file");
    }

    @Test
    void takesSeedsFromTheEnvironmentWhenNoOptionGivesOne() throws ParseException {
        AccessOptions options = options(Map.of(Connection.CLUSTER_ENV, "10.0.0.1:7000, 10.0.0.2:7000"));

        assertThat(options.seeds()).containsExactly("10.0.0.1:7000", "10.0.0.2:7000");
    }

    @Test
    void namesABadSeedAndWhereItCameFrom() {
        assertThatThrownBy(() -> options(Map.of(), "-c", "10.0.0.1"))
                .isInstanceOf(UsageException.class).hasMessage("--cluster: '10.0.0.1' is not HOST:PORT");
        assertThatThrownBy(() -> options(Map.of(), "-c", "host:99999"))
                .isInstanceOf(UsageException.class).hasMessage("--cluster: 'host:99999' is not HOST:PORT");
        assertThatThrownBy(() -> options(Map.of(Connection.CLUSTER_ENV, "a:1,b:x")))
                .isInstanceOf(UsageException.class).hasMessage("RESLOT_CLUSTER: 'b:x' is not HOST:PORT");
        assertThatThrownBy(() -> options(Map.of(), "-c", ","))
                .isInstanceOf(UsageException.class).hasMessage("--cluster names no HOST:PORT");
    }

    @Test
    void readsThePasswordFromTheNamedVariable() throws ParseException {
        AccessOptions options = options(Map.of("MY_PASS", "s3cret", Connection.PASSWORD_ENV, "other"),
                "--user", "ops", "--password-env", "MY_PASS");

        assertThat(options.user()).isEqualTo("ops");
        assertThat(options.password()).containsExactly("s3cret".toCharArray());
        assertThat(options.toString()).doesNotContain("s3cret");
    }

    @Test
    void rejectsAMissingOrEmptyPasswordVariable() {
        assertThatThrownBy(() -> options(Map.of(), "--password-env", "MY_PASS"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--password-env: environment variable MY_PASS is not set");
        assertThatThrownBy(() -> options(Map.of("MY_PASS", ""), "--password-env", "MY_PASS"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--password-env: environment variable MY_PASS is empty");
    }

    @Test
    void readsThePasswordFileDroppingOneLineEnd() throws Exception {
        Path file = Files.writeString(tmp.resolve("pass"), "p@ss word\r\n");

        AccessOptions options = options(Map.of(Connection.PASSWORD_ENV, "other"), "--password-file", file.toString());

        assertThat(options.password()).containsExactly("p@ss word".toCharArray());
    }

    @Test
    void rejectsAMissingOrEmptyPasswordFile() throws IOException {
        String missing = tmp.resolve("missing").toString();
        String empty = Files.writeString(tmp.resolve("empty"), "\n").toString();

        assertThatThrownBy(() -> options(Map.of(), "--password-file", missing))
                .isInstanceOf(UsageException.class)
                .hasMessage("--password-file: cannot read a password from '" + missing + "': no such file");
        assertThatThrownBy(() -> options(Map.of(), "--password-file", empty))
                .isInstanceOf(UsageException.class)
                .hasMessage("--password-file: cannot read a password from '" + empty + "': it is empty");
        assertThatThrownBy(() -> options(Map.of(), "--password-file", tmp.toString()))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--password-file: cannot read a password from '" + tmp + "': ");
    }

    @Test
    void fallsBackToRedisCliAuth() throws ParseException {
        assertThat(options(Map.of(Connection.PASSWORD_ENV, "fromenv")).password())
                .containsExactly("fromenv".toCharArray());
        assertThat(options(Map.of(Connection.PASSWORD_ENV, "")).password()).isNull();
    }

    @Test
    void rejectsBothPasswordOptionsAndAUserWithoutPassword() {
        assertThatThrownBy(() -> options(Map.of("P", "x"), "--password-env", "P", "--password-file", "f"))
                .isInstanceOf(UsageException.class).hasMessage("give --password-env or --password-file, not both");
        assertThatThrownBy(() -> options(Map.of(), "--user", "ops"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--user ops needs a password: give --password-env VAR or --password-file FILE, "
                        + "or set REDISCLI_AUTH");
    }

    @Test
    void takesTheLaterOfASingleValuedOptionGivenTwice() throws ParseException {
        GlobalOptions.Given given = given(List.of("--user", "first", "--yes"), List.of("--user", "second", "-q"));

        assertThat(given.user()).isEqualTo("second");
        assertThat(given.yes()).isTrue();
        assertThat(given.quiet()).isTrue();
        assertThat(given.clusters()).isEmpty();
    }

    @Test
    void rejectsVerboseWithQuiet() {
        assertThatThrownBy(() -> given(List.of("-v"), List.of("-q")))
                .isInstanceOf(UsageException.class).hasMessage("-v and -q contradict each other; give one of them");
    }

    @Test
    void hasNoOptionThatTakesAPassword() {
        assertThat(GlobalOptions.create().getOptions())
                .noneMatch(o -> o.getLongOpt() != null && o.getLongOpt().matches("pass(word)?|auth|a"))
                .noneMatch(o -> "a".equals(o.getOpt()));
    }
}
