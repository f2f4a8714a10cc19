package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.reslot.sandbox.SandboxErrorCode;
import io.reslot.sandbox.SandboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxStateTest {

    private static final String ID_A = "a".repeat(40);
    private static final String ID_B = "b".repeat(40);

    @TempDir
    Path home;

    @Test
    void writesAndReadsBackAState() throws IOException {
        SandboxState state = state(home.resolve("reslot-sandbox-1"));

        state.write(home);

        assertThat(SandboxState.file(home, 7000)).isRegularFile();
        assertThat(SandboxState.read(home, 7000)).contains(state);
        assertThat(SandboxState.all(home)).containsExactly(state);
        try (var files = Files.list(home)) {
            assertThat(files).as("no temporary file left").containsExactly(SandboxState.file(home, 7000));
        }
    }

    @Test
    void listsEverySandboxByPortAndIgnoresOtherFiles() throws IOException {
        SandboxState second = withPort(state(home.resolve("reslot-sandbox-2")), 12000);
        second.write(home);
        state(home.resolve("reslot-sandbox-1")).write(home);
        Files.writeString(home.resolve("notes.json"), "{}");

        assertThat(SandboxState.all(home)).extracting(SandboxState::port).containsExactly(7000, 12000);
        assertThat(SandboxState.all(home.resolve("missing"))).isEmpty();
        assertThat(SandboxState.read(home, 7001)).isEmpty();
    }

    @Test
    void namesTheFileAndWhatIsWrongWhenItCannotBeRead() throws IOException {
        Files.writeString(SandboxState.file(home, 7000), "{\"version\":1,");

        assertThatThrownBy(() -> SandboxState.read(home, 7000)).isInstanceOf(SandboxException.class)
                .hasMessageContaining(SandboxState.file(home, 7000) + " is not a valid sandbox state file")
                .hasMessageContaining("delete it")
                .satisfies(e -> assertThat(((SandboxException) e).code()).isEqualTo(SandboxErrorCode.IO_ERROR));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"version\":1,|\"version\":2,|format 2 is not 1",
        "\"port\":7000,|\"port\":7001,|port 7001 does not match the file name 7000.json",
        "\"pid\":101,|\"pid\":1,|has pid 1",
        "\"pid\":102,|\"pid\":101,|pid 101 is recorded twice",
        "\"pid\":101,|\"pid\":\"x\",|Cannot deserialize",
        "\"address\":\"127.0.0.1:7001\"|\"address\":\"10.0.0.1:7001\"|node address 10.0.0.1:7001 is not 127.0.0.1:7001",
        "\"role\":\"replica\"|\"role\":\"master\"|has role master and master",
        "\"startedAt\":\"2024-05-01T10:00:00Z\"|\"startedAt\":\"yesterday\"|startedAt yesterday",
        "\"redisVersion\":\"7.0.15\"|\"redisVersion\":\"latest\"|redisVersion latest is not a version",
        "\"id\":\"aaaa|\"id\":\"AAAA|has id AAAA"})
    void rejectsAStateThatDoesNotHoldTogether(String from, String to, String message) throws IOException {
        String json = json(home.resolve("reslot-sandbox-1"));
        assertThat(json).contains(from);

        assertThatThrownBy(() -> SandboxState.parse(json.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to)), home, 7000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void rejectsAStateWithoutNodes() {
        SandboxState state = state(home.resolve("reslot-sandbox-1"));
        SandboxState empty = new SandboxState(1, 7000, state.directory(), state.redisPath(), state.redisVersion(),
                state.startedAt(), List.of());

        assertThatThrownBy(() -> empty.validate(home, 7000)).hasMessage("there are no nodes");
    }

    @Test
    void acceptsOnlyADataDirectoryThatSandboxUpCouldHaveCreated() throws IOException {
        for (Path directory : List.of(Path.of("/"), Path.of("/home"), home, home.resolve("other"),
                home.resolve("reslot-sandbox-"), home.resolve("sub").resolve("reslot-sandbox-1"),
                home.resolve("reslot-sandbox-1").resolve("..").resolve(".."))) {
            assertThatThrownBy(() -> SandboxState.parse(json(directory), home, 7000)).as(directory.toString())
                    .hasMessageContaining("is not a reslot-sandbox-... directory in " + home);
        }
        assertThatThrownBy(() -> SandboxState.parse(json(home.resolve("reslot-sandbox-1"))
                .replace(home.toString(), "relative"), home, 7000)).hasMessageContaining("is not an absolute path");
        assertThat(SandboxState.parse(json(home.resolve("reslot-sandbox-1")), home, 7000).directory())
                .isEqualTo(home.resolve("reslot-sandbox-1").toString());
    }

    @Test
    void findsItsDirectoryInTheEnvironmentOrTheXdgStateHome() {
        assertThat(SandboxState.home(Map.of(SandboxState.HOME_ENV, "/tmp/x/", "XDG_STATE_HOME", "/state")))
                .isEqualTo(Path.of("/tmp/x"));
        assertThat(SandboxState.home(Map.of("XDG_STATE_HOME", "/state"))).isEqualTo(Path.of("/state/reslot/sandbox"));
        assertThat(SandboxState.home(Map.of("XDG_STATE_HOME", "relative")))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".local/state/reslot/sandbox"));
        assertThat(SandboxState.home(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".local/state/reslot/sandbox"));
    }

    @Test
    void recognisesTheCommandLineOfItsNodeOnly() {
        SandboxState state = state(home.resolve("reslot-sandbox-1"));
        SandboxState.Node first = state.nodes().get(0);
        String binary = state.redisPath();

        assertThat(SandboxProcesses.isNode(binary + " 127.0.0.1:7000 [cluster]", state, first)).isTrue();
        assertThat(SandboxProcesses.isNode("redis-server 127.0.0.1:7000", state, first)).isTrue();
        assertThat(SandboxProcesses.isNode(binary + " " + state.directory() + "/node-0/redis.conf", state, first))
                .as("before redis-server sets its title").isTrue();
        assertThat(SandboxProcesses.isNode(binary + " 127.0.0.1:7001 [cluster]", state, first)).isFalse();
        assertThat(SandboxProcesses.isNode(binary + " 127.0.0.1:70000 [cluster]", state, first)).isFalse();
        assertThat(SandboxProcesses.isNode("sleep 7000", state, first)).isFalse();
        assertThat(SandboxProcesses.isNode("vim 127.0.0.1:7000", state, first)).isFalse();
    }

    /** A two-node state of port 7000 (a master and its replica) with the given data directory. */
    private static SandboxState state(Path directory) {
        return new SandboxState(1, 7000, directory.toString(), "/opt/redis/bin/redis-server", "7.0.15",
                "2024-05-01T10:00:00Z", List.of(
                        new SandboxState.Node("127.0.0.1:7000", 7000, 101, ID_A, "master", null),
                        new SandboxState.Node("127.0.0.1:7001", 7001, 102, ID_B, "replica", ID_A)));
    }

    private static SandboxState withPort(SandboxState s, int port) {
        List<SandboxState.Node> nodes = s.nodes().stream().map(n -> new SandboxState.Node("127.0.0.1:"
                + (n.port() - s.port() + port), n.port() - s.port() + port, n.pid() + port, n.id(), n.role(),
                n.master())).toList();
        return new SandboxState(s.version(), port, s.directory(), s.redisPath(), s.redisVersion(), s.startedAt(),
                nodes);
    }

    private String json(Path directory) throws IOException {
        Path scratch = Files.createTempDirectory(home, "json");
        SandboxState state = state(directory);
        state.write(scratch);
        return Files.readString(state.file(scratch)).replaceAll("\\s*\n\\s*", "").replace(" : ", ":");
    }
}
