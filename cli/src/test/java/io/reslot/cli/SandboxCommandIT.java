package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reslot sandbox} from the shaded jar, each command a process of its own as a user runs them: the cluster of
 * {@code up} must answer after that process exited, {@code status} and {@code down} must find it, and {@code down}
 * must stop exactly its processes and delete its files, never a process that merely took a recorded pid. Every
 * process started here is stopped again, also when an assertion fails.
 */
class SandboxCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    @Test
    void upLeavesAClusterRunningThatStatusShowsAndDownStops() throws Exception {
        Path home = tmp.resolve("sandboxes");
        List<SandboxState> started = new ArrayList<>();
        try {
            ReslotJar.Run up = reslot(home, "sandbox", "up", "--masters", "3", "--replicas", "1");
            SandboxState.all(home).forEach(started::add);

            assertThat(up.exit()).as(up.stderr()).isZero();
            assertThat(started).hasSize(1);
            SandboxState state = started.get(0);
            assertThat(state.nodes()).hasSize(6).extracting(SandboxState.Node::role)
                    .containsExactly("master", "master", "master", "replica", "replica", "replica");
            assertThat(up.stdout()).startsWith("sandbox up on port " + state.port() + ": 3 masters with 1 replica each, redis-server ")
                    .contains("export RESLOT_CLUSTER=" + state.seed(), "reslot -c " + state.seed() + " nodes",
                            "reslot sandbox down --port " + state.port());
            String table = up.stdout();
            state.nodes().forEach(n -> assertThat(table).containsPattern(n.address() + " +" + n.role() + " +"
                    + n.pid() + " +" + n.id().substring(0, 8)));
            assertThat(up.stderr()).isEmpty();
            assertThat(Path.of(state.directory())).isDirectory().hasParent(home);
            assertAnswering(state);

            ReslotJar.Run again = reslot(home, "sandbox", "up", "--port", Integer.toString(state.port()));
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.stdout()).isEmpty();
            assertThat(again.stderr()).startsWith("reslot: a sandbox is up on port " + state.port() + " already (")
                    .contains("nothing was started", "reslot sandbox down --port " + state.port());
            assertThat(SandboxState.all(home)).containsExactly(state);
            try (Stream<Path> files = Files.list(home)) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("reslot-sandbox-")))
                        .containsExactly(Path.of(state.directory()));
            }

            ReslotJar.Run status = reslot(home, "sandbox", "status");
            assertThat(status.exit()).as(status.stderr()).isZero();
            assertThat(status.stdout()).startsWith("sandbox on port " + state.port() + ", started "
                    + state.startedAt()).contains("6 of 6 nodes running, cluster_state ok");

            SandboxState.Node replica = state.nodes().get(5);
            ProcessHandle.of(replica.pid()).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(replica.pid()).ifPresent(p -> p.onExit().join());
            ReslotJar.Run statusJson = reslot(home, "--json", "sandbox", "status", "--port",
                    Integer.toString(state.port()));
            assertThat(statusJson.exit()).as(statusJson.stderr()).isZero();
            assertThat(statusJson.stderr()).isEmpty();
            JsonNode sandbox = JSON.readTree(statusJson.stdout()).get("sandboxes").get(0);
            assertThat(sandbox.get("port").asInt()).isEqualTo(state.port());
            assertThat(sandbox.get("clusterState").asText()).isEqualTo("ok");
            assertThat(sandbox.get("nodes")).extracting(n -> n.get("alive").asBoolean())
                    .containsExactly(true, true, true, true, true, false);

            ReslotJar.Run down = reslot(home, "sandbox", "down");
            assertThat(down.exit()).as(down.stderr()).isZero();
            assertThat(down.stdout()).startsWith("sandbox on port " + state.port() + ":\n")
                    .containsPattern(replica.address() + " +" + replica.pid() + " +had stopped already")
                    .contains("deleted " + state.directory() + " and " + state.file(home));
            for (SandboxState.Node node : state.nodes().subList(0, 5)) {
                assertThat(down.stdout()).containsPattern(node.address() + " +" + node.pid()
                        + " +(stopped \\(SIGTERM\\)|killed \\(SIGKILL after 5 s\\))");
            }
            for (SandboxState.Node node : state.nodes()) {
                assertThat(SandboxProcesses.isAlive(node.pid())).as("pid %d", node.pid()).isFalse();
            }
            assertThat(Path.of(state.directory())).doesNotExist();
            assertThat(state.file(home)).doesNotExist();
            assertThat(reslot(home, "sandbox", "status").stdout()).isEqualTo("no sandbox is up\n");
            assertThat(reslot(home, "sandbox", "down").stdout()).isEqualTo("no sandbox is up\n");
        } finally {
            started.forEach(SandboxCommandIT::stopWhatRemains);
        }
    }

    @Test
    void downLeavesAloneAProcessThatTookARecordedPid() throws Exception {
        Path home = tmp.resolve("sandboxes");
        Process sleep = new ProcessBuilder("sleep", "120").start();
        try {
            Path data = Files.createDirectories(home.resolve("reslot-sandbox-42").resolve("node-0"));
            Files.writeString(data.resolve("nodes.conf"), "");
            SandboxState fake = new SandboxState(SandboxState.FORMAT, 23456, data.getParent().toString(),
                    "/usr/local/bin/redis-server", "7.0.15", "2024-05-01T10:00:00Z", List.of(new SandboxState.Node(
                            "127.0.0.1:23456", 23456, sleep.pid(), "c".repeat(40), "master", null)));
            fake.write(home);

            JsonNode status = JSON.readTree(reslot(home, "--json", "sandbox", "status").stdout());
            assertThat(status.at("/sandboxes/0/nodes/0/alive").asBoolean()).isFalse();
            assertThat(status.at("/sandboxes/0/clusterState").isNull()).isTrue();
            ReslotJar.Run down = reslot(home, "--json", "sandbox", "down");

            assertThat(down.exit()).as(down.stderr()).isZero();
            assertThat(down.stderr()).isEmpty();
            JsonNode stopped = JSON.readTree(down.stdout()).at("/stopped/0");
            assertThat(stopped.at("/nodes/0/outcome").asText()).isEqualTo("not-ours");
            assertThat(stopped.at("/nodes/0/pid").asLong()).isEqualTo(sleep.pid());
            assertThat(stopped.get("deleted").asBoolean()).isTrue();
            assertThat(sleep.isAlive()).as("the process that took the pid").isTrue();
            assertThat(fake.file(home)).doesNotExist();
            assertThat(data.getParent()).doesNotExist();
        } finally {
            sleep.destroyForcibly();
        }
    }

    /** Every node answers PING and reports {@code cluster_state:ok}. */
    private static void assertAnswering(SandboxState state) {
        RedisClient client = RedisClient.create();
        try {
            for (SandboxState.Node node : state.nodes()) {
                try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.create(SandboxState.HOST,
                        node.port()))) {
                    assertThat(c.sync().ping()).as(node.address()).isEqualTo("PONG");
                    assertThat(c.sync().clusterInfo()).as(node.address()).contains("cluster_state:ok");
                }
            }
        } finally {
            client.shutdown();
        }
    }

    /** After a failed test: SIGKILL to every recorded pid that still is its node's redis-server. */
    private static void stopWhatRemains(SandboxState state) {
        for (SandboxState.Node node : state.nodes()) {
            SandboxProcesses.find(state, node).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private ReslotJar.Run reslot(Path home, String... args) throws IOException, InterruptedException {
        return ReslotJar.run(tmp, Map.of(SandboxState.HOME_ENV, home.toString()), "", TIMEOUT, args);
    }
}
