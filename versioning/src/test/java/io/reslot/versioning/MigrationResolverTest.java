package io.reslot.versioning;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import io.reslot.migrate.MoverOptions;
import io.reslot.slot.SlotSet;
import io.reslot.versioning.ResolvedMigration.Type;
import io.reslot.versioning.resolve.V2__Java_step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class MigrationResolverTest {

    private static final String DRAIN = "steps:\n  - drain: {node: a}\n";
    private static final String RESOLVE = "classpath:io/reslot/versioning/resolve";

    @TempDir
    Path dir;

    private final MigrationResolver resolver = new MigrationResolver(getClass().getClassLoader());

    private Path write(String relative, String text) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private List<ResolvedMigration> resolve(String... locations) {
        return resolve(resolver, locations);
    }

    private static List<ResolvedMigration> resolve(MigrationResolver resolver, String... locations) {
        return resolver.resolve(List.of(locations).stream().map(Location::parse).toList(), List.of());
    }

    private static void assertBad(Runnable resolve, VersioningErrorCode code, String message) {
        assertThatThrownBy(resolve::run)
                .isInstanceOfSatisfying(VersioningException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessage(message);
    }

    /** A Java migration given as an object. */
    private static RedisMigration java(String version, String checksum) {
        return new RedisMigration() {
            @Override
            public MigrationVersion version() {
                return version == null ? null : MigrationVersion.parse(version);
            }

            @Override
            public String description() {
                return "given";
            }

            @Override
            public String checksum() {
                return checksum;
            }

            @Override
            public void migrate(MigrationContext context) {
            }
        };
    }

    @Test
    void findsScriptsInADirectoryAndItsSubdirectoriesSortedByVersion() throws IOException {
        write("V1_10__Later.yaml", DRAIN);
        write("V1_9__Earlier.yml", DRAIN);
        write("nested/deeper/V2__Deep_one.json", "{\"steps\": [{\"reshard\": {\"to\": \"b\", \"slots\": 10}}]}");
        write("V1__First.yaml", DRAIN);

        List<ResolvedMigration> found = resolve(dir.toString());

        assertThat(found).extracting(m -> m.version().toString(), ResolvedMigration::description,
                        ResolvedMigration::type, ResolvedMigration::script, ResolvedMigration::source)
                .containsExactly(
                        tuple("1", "First", Type.SCRIPT, "V1__First.yaml", dir.resolve("V1__First.yaml").toString()),
                        tuple("1.9", "Earlier", Type.SCRIPT, "V1_9__Earlier.yml",
                                dir.resolve("V1_9__Earlier.yml").toString()),
                        tuple("1.10", "Later", Type.SCRIPT, "V1_10__Later.yaml",
                                dir.resolve("V1_10__Later.yaml").toString()),
                        tuple("2", "Deep one", Type.SCRIPT, "nested/deeper/V2__Deep_one.json",
                                dir.resolve("nested/deeper/V2__Deep_one.json").toString()));
        assertThat(found.get(0).steps()).containsExactly(new Step.Drain("a"));
        assertThat(found.get(0).checksum()).isEqualTo(Checksums.of(DRAIN));
        assertThat(found.get(0).java()).isNull();
        assertThat(found.get(3).steps()).containsExactly(new Step.Reshard("b", 10));
    }

    @Test
    void readsAFilesystemLocationWithItsPrefix() throws IOException {
        write("V1__x.yaml", DRAIN);

        assertThat(resolve("filesystem:" + dir)).extracting(ResolvedMigration::script).containsExactly("V1__x.yaml");
    }

    @Test
    void ignoresFilesThatAreNotMigrations() throws IOException {
        write("V1__x.yaml", DRAIN);
        write("README.md", "# not a migration");
        write("notes.yaml", "not: a migration");
        write("V2__x.sql", "select 1;");
        write("V3__x.class", "not read");
        write("sub/helper.json", "{}");

        assertThat(resolve(dir.toString())).extracting(ResolvedMigration::script).containsExactly("V1__x.yaml");
    }

    @Test
    void findsNothingInAnEmptyDirectory() {
        assertThat(resolve(dir.toString())).isEmpty();
    }

    @Test
    void rejectsAScriptFileWhoseNameIsNotAMigrationName() throws IOException {
        Path file = write("sub/V1_Missing_underscore.yaml", DRAIN);

        assertBad(() -> resolve(dir.toString()), VersioningErrorCode.BAD_SCRIPT, file + ": \"V1_Missing_underscore\" "
                + "is not a migration name; name a migration V<version>__<description>, such as V1__Move_first_slots "
                + "or V1_2__Retag_users; rename the file, or move it out of location filesystem:" + dir);
    }

    @Test
    void rejectsAScriptFileWithABadVersion() throws IOException {
        Path file = write("V1.x__Bad.json", DRAIN);

        assertBad(() -> resolve(dir.toString()), VersioningErrorCode.BAD_SCRIPT, file + ": \"V1.x__Bad\" is not a "
                + "migration name: invalid migration version \"1.x\": \"x\" is not a whole number; give whole numbers "
                + "separated by dots, such as 1 or 1.2; rename the file, or move it out of location filesystem:"
                + dir);
    }

    @Test
    void rejectsABadScriptNamingItsFileLineAndColumn() throws IOException {
        write("V1__Good.yaml", DRAIN);
        Path bad = write("V2__Bad.yaml", "steps:\n  - drain: {nod: a}\n");

        assertBad(() -> resolve(dir.toString()), VersioningErrorCode.BAD_SCRIPT, bad + ":2:13: drain: unknown option "
                + "'nod'; did you mean 'node'? (valid: node, max-pause, batch-keys, parallel, window, timeout, rate, "
                + "on-busy-key, wait-replicas)");
    }

    @Test
    void rejectsAScriptThatIsNotUtf8() throws IOException {
        Path file = dir.resolve("V1__Latin1.yaml");
        Files.write(file, "steps:\n  - drain: {node: \u00e9}\n".getBytes(StandardCharsets.ISO_8859_1));

        assertBad(() -> resolve(dir.toString()), VersioningErrorCode.BAD_SCRIPT, file + ": the file is not UTF-8 "
                + "text (byte 25 of 28 starts an invalid sequence); save it as UTF-8");
    }

    @Test
    void rejectsTwoMigrationsWithOneVersion() throws IOException {
        Path a = write("V1__A.yaml", DRAIN);
        Path b = write("sub/V1.0__B.json", "{\"steps\": [{\"drain\": {\"node\": \"b\"}}]}");

        assertBad(() -> resolve(dir.toString()), VersioningErrorCode.DUPLICATE_VERSION, "two migrations have version "
                + "1: " + a + " and " + b + "; give each migration its own version");
    }

    @Test
    void rejectsAScriptAndAJavaMigrationWithOneVersion() throws IOException {
        Path script = write("V2__Script.yaml", DRAIN);

        assertBad(() -> resolver.resolve(List.of(Location.parse(dir.toString())), List.of(new V2__Java_step())),
                VersioningErrorCode.DUPLICATE_VERSION, "two migrations have version 2: " + script + " and class "
                        + V2__Java_step.class.getName() + "; give each migration its own version");
    }

    @Test
    void readsALocationGivenTwiceOnce() throws IOException {
        write("V1__x.yaml", DRAIN);

        assertThat(resolve(dir.toString(), "filesystem:" + dir)).hasSize(1);
    }

    @Test
    void rejectsADirectoryThatDoesNotExist() {
        Path missing = dir.resolve("missing");

        assertBad(() -> resolve(missing.toString()), VersioningErrorCode.BAD_SCRIPT, "location filesystem:" + missing
                + " does not exist (" + missing.toAbsolutePath() + "); create the directory or correct the location");
    }

    @Test
    void rejectsAFileAsADirectory() throws IOException {
        Path file = write("V1__x.yaml", DRAIN);

        assertBad(() -> resolve(file.toString()), VersioningErrorCode.BAD_SCRIPT, "location filesystem:" + file
                + " is not a directory; give the directory that holds the migrations");
    }

    @Test
    void findsScriptsAndJavaMigrationsOnTheClassPath() {
        List<ResolvedMigration> found = resolve(RESOLVE);

        assertThat(found).extracting(m -> m.version().toString(), ResolvedMigration::description,
                        ResolvedMigration::type, ResolvedMigration::script, ResolvedMigration::source)
                .containsExactly(
                        tuple("1", "First", Type.SCRIPT, "V1__First.yaml",
                                "classpath:io/reslot/versioning/resolve/V1__First.yaml"),
                        tuple("1.1", "Deeper", Type.SCRIPT, "sub/V1_1__Deeper.json",
                                "classpath:io/reslot/versioning/resolve/sub/V1_1__Deeper.json"),
                        tuple("2", "Java step", Type.JAVA, V2__Java_step.class.getName(),
                                "classpath:io/reslot/versioning/resolve/V2__Java_step.class"));
        assertThat(found.get(0).steps()).containsExactly(new Step.MoveSlots(SlotSet.parse("0-99"), "127.0.0.1:7003",
                MoverOptions.defaults()));
        assertThat(found.get(1).steps()).containsExactly(new Step.Drain("127.0.0.1:7000"));
        assertThat(found.get(2).java()).isInstanceOf(V2__Java_step.class);
        assertThat(found.get(2).steps()).isEmpty();
        assertThat(found.get(2).checksum()).isEqualTo(new V2__Java_step().checksum());
    }

    @Test
    void rejectsAClassNamedLikeAMigrationThatIsNotOne() {
        assertBad(() -> resolve("classpath:io/reslot/versioning/resolvebad"), VersioningErrorCode.BAD_SCRIPT,
                "classpath:io/reslot/versioning/resolvebad/V7__Not_a_migration.class: class "
                        + "io.reslot.versioning.resolvebad.V7__Not_a_migration is named like a migration but does "
                        + "not implement io.reslot.versioning.RedisMigration; implement it (or extend "
                        + "BaseRedisMigration), or rename the class");
    }

    @Test
    void rejectsAMigrationClassWithoutAConstructorWithoutParameters() {
        assertBad(() -> resolve("classpath:io/reslot/versioning/resolvenoctor"), VersioningErrorCode.BAD_SCRIPT,
                "classpath:io/reslot/versioning/resolvenoctor/V8__Needs_args.class: class "
                        + "io.reslot.versioning.resolvenoctor.V8__Needs_args has no constructor without parameters; "
                        + "add one");
    }

    @Test
    void rejectsAClassPathLocationThatDoesNotExist() {
        assertBad(() -> resolve("classpath:no/such/package"), VersioningErrorCode.BAD_SCRIPT, "location "
                + "classpath:no/such/package does not exist: no directory or jar on the class path has "
                + "no/such/package; correct the location");
    }

    /** A class loader whose resources are only those of {@code jar}; classes come from the test's class path. */
    private static URLClassLoader jarOnly(Path jar) throws IOException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, MigrationResolverTest.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return findResources(name);
            }
        };
    }

    private static void put(JarOutputStream jar, String name, byte[] content) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        if (content != null) {
            jar.write(content);
        }
        jar.closeEntry();
    }

    @Test
    void findsScriptsAndJavaMigrationsInAJar() throws IOException {
        Path jar = dir.resolve("migrations with space.jar");
        String classFile = "io/reslot/versioning/jarclasses/V3__From_jar.class";
        byte[] classBytes;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(classFile)) {
            classBytes = in.readAllBytes();
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String directory : List.of("db/", "db/redis/", "db/redis/sub/", "io/", "io/reslot/",
                    "io/reslot/versioning/", "io/reslot/versioning/jarclasses/")) {
                put(out, directory, null);
            }
            put(out, "db/redis/V1__In_jar.yaml", DRAIN.getBytes(StandardCharsets.UTF_8));
            put(out, "db/redis/sub/V1_5__Deeper.json",
                    "{\"steps\": [{\"drain\": {\"node\": \"b\"}}]}".getBytes(StandardCharsets.UTF_8));
            put(out, "db/redis/notes.txt", "ignored".getBytes(StandardCharsets.UTF_8));
            put(out, "db/redisother/V9__Not_in_the_location.yaml", DRAIN.getBytes(StandardCharsets.UTF_8));
            put(out, classFile, classBytes);
        }

        try (URLClassLoader loader = jarOnly(jar)) {
            List<ResolvedMigration> found = resolve(new MigrationResolver(loader), "classpath:db/redis",
                    "classpath:io/reslot/versioning/jarclasses");

            assertThat(found).extracting(m -> m.version().toString(), ResolvedMigration::type,
                            ResolvedMigration::script, ResolvedMigration::source)
                    .containsExactly(
                            tuple("1", Type.SCRIPT, "V1__In_jar.yaml",
                                    jar + "!/db/redis/V1__In_jar.yaml"),
                            tuple("1.5", Type.SCRIPT, "sub/V1_5__Deeper.json",
                                    jar + "!/db/redis/sub/V1_5__Deeper.json"),
                            tuple("3", Type.JAVA, "io.reslot.versioning.jarclasses.V3__From_jar",
                                    jar + "!/" + classFile));
            assertThat(found.get(0).steps()).containsExactly(new Step.Drain("a"));
            assertThat(found.get(0).checksum()).isEqualTo(Checksums.of(DRAIN));
            assertThat(found.get(2).description()).isEqualTo("From jar");
        }
    }

    @Test
    void rejectsABadScriptInAJarNamingIt() throws IOException {
        Path jar = dir.resolve("bad.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, "db/", null);
            put(out, "db/V1__Bad.yaml", "steps:\n  - drian: {node: a}\n".getBytes(StandardCharsets.UTF_8));
        }

        try (URLClassLoader loader = jarOnly(jar)) {
            assertBad(() -> resolve(new MigrationResolver(loader), "classpath:db"), VersioningErrorCode.BAD_SCRIPT,
                    jar + "!/db/V1__Bad.yaml:2:5: unknown step 'drian'; did you mean 'drain'? "
                            + "(valid: reshard, move-slots, rebalance, drain, retag)");
        }
    }

    @Test
    void addsJavaMigrationsGivenAsObjects() throws IOException {
        write("V1__x.yaml", DRAIN);
        RedisMigration given = java("1.5", "sha256:abc");

        List<ResolvedMigration> found = resolver.resolve(List.of(Location.parse(dir.toString())),
                List.of(given, new V2__Java_step()));

        assertThat(found).extracting(m -> m.version().toString(), ResolvedMigration::type, ResolvedMigration::script,
                        ResolvedMigration::checksum, ResolvedMigration::java)
                .containsExactly(
                        tuple("1", Type.SCRIPT, "V1__x.yaml", Checksums.of(DRAIN), null),
                        tuple("1.5", Type.JAVA, given.getClass().getName(), "sha256:abc", given),
                        tuple("2", Type.JAVA, V2__Java_step.class.getName(), new V2__Java_step().checksum(),
                                found.get(2).java()));
        assertThat(found.get(1).description()).isEqualTo("given");
        assertThat(found.get(1).source()).isEqualTo("class " + given.getClass().getName());
    }

    @Test
    void rejectsAJavaMigrationWithoutAChecksumOrVersion() {
        for (String checksum : new String[] {null, "", "  "}) {
            RedisMigration migration = java("1", checksum);
            assertBad(() -> resolver.resolve(List.of(), List.of(migration)), VersioningErrorCode.BAD_SCRIPT,
                    "Java migration " + migration.getClass().getName() + ": checksum() returned "
                            + (checksum == null ? "null" : "a blank string") + "; every migration needs a checksum, "
                            + "so that validate can tell when it changed; return one such as Checksums.of(text), or "
                            + "extend BaseRedisMigration");
        }
        RedisMigration noVersion = java(null, "sha256:abc");
        assertBad(() -> resolver.resolve(List.of(), List.of(noVersion)), VersioningErrorCode.BAD_SCRIPT,
                "Java migration " + noVersion.getClass().getName() + ": version() returned null; return the "
                        + "migration's version");
    }

    @Test
    void javaMigrationChecksumChangesWithItsParameters() {
        BaseRedisMigration edited = new V2__Java_step() {
            @Override
            protected Map<String, Object> parameters() {
                return Map.of("target", "127.0.0.1:7002");
            }
        };

        assertThat(edited.checksum()).isNotEqualTo(new V2__Java_step().checksum());
    }
}
