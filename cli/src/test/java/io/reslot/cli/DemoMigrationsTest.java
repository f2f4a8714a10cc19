package io.reslot.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo applies copies of {@code examples/migrations} that the jar carries: they must not drift apart. */
class DemoMigrationsTest {

    /** The module's directory is the working directory of surefire. */
    private static final Path EXAMPLES = Path.of("..", "examples", "migrations");
    private static final String COPIES = DemoCommand.MIGRATIONS.substring("classpath:".length());

    @Test
    void carriesAByteIdenticalCopyOfEveryExample() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            examples = files.sorted().toList();
        }
        assertThat(examples).extracting(p -> p.getFileName().toString())
                .containsExactly("V1__Rebalance_onto_empty_masters.yaml", "V2__Tag_users.yaml");
        for (Path example : examples) {
            assertThat(copy(example.getFileName().toString())).as(example.toString())
                    .isEqualTo(Files.readAllBytes(example));
        }
    }

    @Test
    void retagsDirectlyWithTheRuleOfTheExample() throws IOException {
        JsonNode retag = new ObjectMapper(new YAMLFactory()).readTree(copy("V2__Tag_users.yaml"))
                .get("steps").get(0).get("retag");

        assertThat(retag.get("match").asText()).isEqualTo(DemoCommand.TAG_USERS.match());
        assertThat(retag.get("regex").asText()).isEqualTo(DemoCommand.TAG_USERS.regex());
        assertThat(retag.get("to").asText()).isEqualTo(DemoCommand.TAG_USERS.to());
    }

    private static byte[] copy(String name) throws IOException {
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(COPIES + "/" + name)) {
            assertThat(in).as("class path resource " + COPIES + "/" + name).isNotNull();
            return in.readAllBytes();
        }
    }
}
