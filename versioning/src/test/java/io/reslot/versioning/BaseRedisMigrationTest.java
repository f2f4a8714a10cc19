package io.reslot.versioning;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.reslot.migrate.BusyKeyPolicy;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BaseRedisMigrationTest {

    /** A migration whose parameters a test sets. */
    abstract static class Parameterised extends BaseRedisMigration {

        Map<String, Object> parameters = Map.of();

        @Override
        protected Map<String, Object> parameters() {
            return parameters;
        }

        @Override
        public void migrate(MigrationContext context) {
        }
    }

    static final class V3__Split_hot_tags extends Parameterised {
    }

    static final class V1_2__x extends Parameterised {
    }

    static final class V4__Other extends Parameterised {
    }

    static final class SplitHotTags extends Parameterised {
    }

    static final class V5__Own_checksum extends Parameterised {

        @Override
        public String checksum() {
            return "sha256:own";
        }
    }

    private static <T extends Parameterised> T with(T migration, Map<String, Object> parameters) {
        migration.parameters = parameters;
        return migration;
    }

    @Test
    void takesVersionAndDescriptionFromTheClassName() {
        assertThat(new V3__Split_hot_tags().version()).isEqualTo(MigrationVersion.parse("3"));
        assertThat(new V3__Split_hot_tags().description()).isEqualTo("Split hot tags");
        assertThat(new V1_2__x().version()).hasToString("1.2");
        assertThat(new V1_2__x().description()).isEqualTo("x");
    }

    @Test
    void rejectsAClassNameThatIsNotAMigrationName() {
        SplitHotTags migration = new SplitHotTags();

        assertThatThrownBy(migration::version)
                .isInstanceOfSatisfying(VersioningException.class,
                        e -> assertThat(e.code()).isEqualTo(VersioningErrorCode.BAD_SCRIPT))
                .hasMessage("Java migration " + SplitHotTags.class.getName() + ": its class name must be "
                        + "V<version>__<description>, such as V3__Split_hot_tags, or it must override version() and "
                        + "description(); \"SplitHotTags\" is not a migration name; name a migration "
                        + "V<version>__<description>, such as V1__Move_first_slots or V1_2__Retag_users");
        assertThatThrownBy(migration::description).isInstanceOf(VersioningException.class);
        assertThatThrownBy(new BaseRedisMigration() {
            @Override
            public void migrate(MigrationContext context) {
            }
        }::version).isInstanceOf(VersioningException.class).hasMessageContaining("\"\" is not a migration name");
    }

    @Test
    void checksumCoversTheClassNameAndParameters() {
        String plain = new V3__Split_hot_tags().checksum();

        assertThat(plain).startsWith("sha256:").hasSize("sha256:".length() + 64);
        assertThat(plain).isEqualTo(Checksums.sha256((V3__Split_hot_tags.class.getName() + "\n{}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(new V4__Other().checksum()).isNotEqualTo(plain);
        assertThat(with(new V3__Split_hot_tags(), Map.of("target", "a")).checksum()).isNotEqualTo(plain);
        assertThat(with(new V3__Split_hot_tags(), Map.of("target", "a")).checksum())
                .isNotEqualTo(with(new V3__Split_hot_tags(), Map.of("target", "b")).checksum())
                .isEqualTo(with(new V3__Split_hot_tags(), Map.of("target", "a")).checksum());
    }

    @Test
    void checksumDoesNotDependOnTheOrderOfMapsAndSets() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", new LinkedHashSet<>(List.of("x", "y")));
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", new LinkedHashSet<>(List.of("y", "x")));
        ba.put("a", 1);

        assertThat(with(new V3__Split_hot_tags(), ab).checksum())
                .isEqualTo(with(new V3__Split_hot_tags(), ba).checksum());
        assertThat(with(new V3__Split_hot_tags(), Map.of("l", List.of("x", "y"))).checksum())
                .as("a list's order is part of its value")
                .isNotEqualTo(with(new V3__Split_hot_tags(), Map.of("l", List.of("y", "x"))).checksum());
    }

    @Test
    void rendersParametersCanonically() {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("z", null);
        parameters.put("text", "a \"quoted\"\\ line\n");
        parameters.put("numbers", List.of(2, 2L, 2.0, 2.50f, new BigDecimal("2.500"), (short) -3, Double.NaN));
        parameters.put("flags", new boolean[] {true, false});
        parameters.put("policy", BusyKeyPolicy.REPLACE);
        parameters.put("slots", SlotSet.parse("0-9,20"));
        parameters.put("char", 'c');
        parameters.put("nested", Map.of(2, Set.of(3, 1)));

        assertThat(BaseRedisMigration.canonical(parameters, "parameters")).isEqualTo("{"
                + "\"char\":\"c\","
                + "\"flags\":[true,false],"
                + "\"nested\":{\"2\":[1,3]},"
                + "\"numbers\":[2,2,2,2.5,2.5,-3,NaN],"
                + "\"policy\":\"REPLACE\","
                + "\"slots\":\"0-9,20\","
                + "\"text\":\"a \\\"quoted\\\"\\\\ line\\u000a\","
                + "\"z\":null}");
        assertThat(BaseRedisMigration.canonical(new ArrayList<>(Arrays.asList(0.0, new BigDecimal("0.00"))), "p"))
                .isEqualTo("[0,0]");
    }

    @Test
    void rejectsAParameterWhoseTextIsNotStable() {
        V3__Split_hot_tags migration = with(new V3__Split_hot_tags(), Map.of("list", List.of(new Object())));

        assertThatThrownBy(migration::checksum)
                .isInstanceOfSatisfying(VersioningException.class,
                        e -> assertThat(e.code()).isEqualTo(VersioningErrorCode.BAD_SCRIPT))
                .hasMessage("parameters.list[0] is a java.lang.Object, whose text is not stable; give a string, a "
                        + "number, a map or a list instead");
    }

    @Test
    void aSubclassMayComputeItsOwnChecksum() {
        assertThat(new V5__Own_checksum().checksum()).isEqualTo("sha256:own");
    }

    @Test
    void showsItsClassName() {
        assertThat(new V1_2__x()).hasToString(V1_2__x.class.getName());
    }
}
