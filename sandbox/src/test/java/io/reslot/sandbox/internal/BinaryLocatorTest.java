package io.reslot.sandbox.internal;

import io.reslot.sandbox.RedisServerBinary.Source;
import io.reslot.sandbox.SandboxErrorCode;
import io.reslot.sandbox.SandboxException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resolution order with fake {@code redis-server} scripts that print a version; the bundled cases extract the
 * real binaries into a temporary cache.
 */
class BinaryLocatorTest {
    private static final String OS = System.getProperty("os.name");
    private static final String ARCH = System.getProperty("os.arch");

    @TempDir
    Path temp;
    private Path cache;
    private Path pathDir;
    private Path fromEnvironment;

    @BeforeEach
    void fakes() throws IOException {
        cache = temp.resolve("cache");
        pathDir = Files.createDirectories(temp.resolve("bin"));
        script(pathDir.resolve("redis-server"), "8.8.8");
        fromEnvironment = script(temp.resolve("my-redis"), "9.9.9");
    }

    @Test
    void environmentVariableComesFirst() {
        BinaryLocator.Located found = locator(Map.of("RESLOT_REDIS_SERVER", fromEnvironment.toString(),
                "PATH", pathDir.toString()), "").resolve();

        assertThat(found.path()).isEqualTo(fromEnvironment);
        assertThat(found.version()).isEqualTo("9.9.9");
        assertThat(found.source()).isEqualTo(Source.ENVIRONMENT);
    }

    @Test
    void pathComesSecond() {
        BinaryLocator.Located found = locator(Map.of("PATH", temp.resolve("missing") + ":" + pathDir), "  ")
                .resolve();

        assertThat(found.path()).isEqualTo(pathDir.resolve("redis-server"));
        assertThat(found.version()).isEqualTo("8.8.8");
        assertThat(found.source()).isEqualTo(Source.PATH);
    }

    @Test
    void bundledDefaultComesLast() {
        BinaryLocator.Located found = locator(Map.of("PATH", temp.resolve("missing").toString()), null).resolve();

        assertThat(found.source()).isEqualTo(Source.BUNDLED);
        assertThat(found.version()).startsWith("7.0.");
        assertThat(found.path()).startsWith(cache);
    }

    @Test
    void versionPropertyPicksBundledBinaryOverEverythingElse() {
        BinaryLocator.Located found = locator(Map.of("RESLOT_REDIS_SERVER", fromEnvironment.toString(),
                "PATH", pathDir.toString()), "6.2").resolve();

        assertThat(found.source()).isEqualTo(Source.BUNDLED);
        assertThat(found.version()).startsWith("6.2.");
        assertThat(found.path().getParent().getFileName().toString())
                .isEqualTo("com.github.codemonstur-embedded-redis-1.4.4");
    }

    @Test
    void unknownVersionPropertyIsAnError() {
        assertThatThrownBy(() -> locator(Map.of(), "8.0").resolve())
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("reslot.redis=8.0").hasMessageContaining("6.2").hasMessageContaining("7.0");
    }

    @Test
    void wrongEnvironmentVariableIsAnErrorNotAFallThrough() {
        assertThatThrownBy(() -> locator(Map.of("RESLOT_REDIS_SERVER", temp.resolve("nope").toString(),
                "PATH", pathDir.toString()), "").resolve())
                .isInstanceOfSatisfying(SandboxException.class,
                        e -> assertThat(e.code()).isEqualTo(SandboxErrorCode.BINARY_NOT_FOUND))
                .hasMessageContaining("RESLOT_REDIS_SERVER=" + temp.resolve("nope"));
    }

    @Test
    void nothingFoundNamesEverythingTried() {
        BinaryLocator locator = new BinaryLocator(Map.of("PATH", "/nonexistent"), "", List.of(cache), "Plan9",
                "mips");

        assertThatThrownBy(locator::resolve)
                .isInstanceOfSatisfying(SandboxException.class,
                        e -> assertThat(e.code()).isEqualTo(SandboxErrorCode.BINARY_NOT_FOUND))
                .hasMessageContaining("RESLOT_REDIS_SERVER is not set")
                .hasMessageContaining("no redis-server on PATH (/nonexistent)")
                .hasMessageContaining("no bundled redis-server 7.0 for plan9-mips");
    }

    @Test
    void binaryThatPrintsNoVersionIsNotUsable() throws IOException {
        Path broken = temp.resolve("broken");
        Files.writeString(broken, "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> locator(Map.of("RESLOT_REDIS_SERVER", broken.toString()), "").resolve())
                .isInstanceOfSatisfying(SandboxException.class,
                        e -> assertThat(e.code()).isEqualTo(SandboxErrorCode.BINARY_NOT_USABLE))
                .hasMessageContaining("printed: hello");
    }

    @Test
    void extractsBundledBinaryOnceAndReusesIt() throws IOException {
        BinaryLocator locator = locator(Map.of(), "");
        Path first = locator.bundled("7.0").path();
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(first, written);

        Path second = locator.bundled("7.0").path();

        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second)).isEqualTo(written);
        assertThat(Files.isExecutable(second)).isTrue();
        try (Stream<Path> files = Files.list(first.getParent())) {
            assertThat(files).containsExactly(first);
        }
    }

    @Test
    void replacesTruncatedCacheFile() throws IOException {
        BinaryLocator locator = locator(Map.of(), "");
        Path path = locator.bundled("7.0").path();
        long size = Files.size(path);
        Files.write(path, new byte[10]);

        assertThat(locator.bundled("7.0").path()).isEqualTo(path);
        assertThat(Files.size(path)).isEqualTo(size);
    }

    @Test
    void concurrentExtractionsAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<BinaryLocator.Located>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(() -> locator(Map.of(), "").bundled("6.2"));
            }
            for (Future<BinaryLocator.Located> result : pool.invokeAll(tasks)) {
                assertThat(result.get().version()).startsWith("6.2.");
            }
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> files = Files.walk(cache)) {
            assertThat(files.filter(Files::isRegularFile)).hasSize(1);
        }
    }

    @Test
    void fallsBackToNextCacheDirectory() throws IOException {
        Path notADirectory = Files.writeString(temp.resolve("file"), "x");
        BinaryLocator locator = new BinaryLocator(Map.of(), "", List.of(notADirectory, cache), OS, ARCH);

        assertThat(locator.bundled("7.0").path()).startsWith(cache);
    }

    @Test
    void mapsPlatformNames() {
        assertThat(BinaryLocator.platform("Linux", "amd64")).isEqualTo("linux-amd64");
        assertThat(BinaryLocator.platform("Linux", "aarch64")).isEqualTo("linux-arm64");
        assertThat(BinaryLocator.platform("Mac OS X", "x86_64")).isEqualTo("darwin-amd64");
        assertThat(BinaryLocator.platform("Mac OS X", "aarch64")).isEqualTo("darwin-arm64");
    }

    private BinaryLocator locator(Map<String, String> environment, String property) {
        return new BinaryLocator(environment, property, List.of(cache), OS, ARCH);
    }

    private static Path script(Path path, String version) throws IOException {
        Files.writeString(path, "#!/bin/sh\necho \"Redis server v=" + version
                + " sha=00000000:0 malloc=libc bits=64 build=0\"\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }
}
