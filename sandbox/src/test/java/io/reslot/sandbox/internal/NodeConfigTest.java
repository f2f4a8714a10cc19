package io.reslot.sandbox.internal;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeConfigTest {
    private static final Path DIR = Path.of("/tmp/reslot-sandbox-1/node-0");

    @Test
    void rendersClusterDirectives() {
        Map<String, String> config = parse(NodeConfig.render(17001, DIR, Duration.ofMillis(5000), Map.of()));

        assertThat(config)
                .containsEntry("port", "17001")
                .containsEntry("bind", "127.0.0.1")
                .containsEntry("protected-mode", "no")
                .containsEntry("daemonize", "no")
                .containsEntry("cluster-enabled", "yes")
                .containsEntry("cluster-config-file", "nodes.conf")
                .containsEntry("cluster-node-timeout", "5000")
                .containsEntry("save", "\"\"")
                .containsEntry("appendonly", "no")
                .containsEntry("dir", "\"/tmp/reslot-sandbox-1/node-0\"");
    }

    @Test
    void quotesDirectoryLikeRedisConf() {
        String text = NodeConfig.render(1, Path.of("/tmp/a dir/with \"quotes\" and \\"), Duration.ofSeconds(1),
                Map.of());

        assertThat(text).contains("dir \"/tmp/a dir/with \\\"quotes\\\" and \\\\\"\n");
    }

    @Test
    void overridesReplaceDefaultsAndExtrasAreAppended() {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("appendonly", "yes");
        overrides.put("Maxmemory", "10mb");
        String text = NodeConfig.render(1, DIR, Duration.ofSeconds(1), overrides);

        List<String> lines = Arrays.asList(text.split("\n"));
        assertThat(lines).filteredOn(l -> l.startsWith("appendonly ")).containsExactly("appendonly yes");
        assertThat(lines).last().isEqualTo("maxmemory 10mb");
    }

    @Test
    void rejectsDirectivesTheSandboxManages() {
        for (String name : List.of("port", "bind", "dir", "cluster-enabled", "cluster-config-file", "daemonize")) {
            assertThatThrownBy(() -> NodeConfig.render(1, DIR, Duration.ofSeconds(1), Map.of(name, "x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
        }
    }

    @Test
    void rejectsLineBreaksAndBadNames() {
        assertThatThrownBy(() -> NodeConfig.render(1, DIR, Duration.ofSeconds(1), Map.of("maxmemory", "1\nport 2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThatThrownBy(() -> NodeConfig.render(1, DIR, Duration.ofSeconds(1), Map.of("max memory", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one word");
    }

    private static Map<String, String> parse(String text) {
        return Arrays.stream(text.split("\n")).map(l -> l.split(" ", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p[1]));
    }
}
