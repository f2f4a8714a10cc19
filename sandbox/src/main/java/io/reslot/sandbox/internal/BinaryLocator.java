package io.reslot.sandbox.internal;

import io.reslot.sandbox.RedisServerBinary.Source;
import io.reslot.sandbox.SandboxErrorCode;
import io.reslot.sandbox.SandboxException;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a {@code redis-server} executable, in this order:
 * <ol>
 *   <li>the {@code reslot.redis} system property, when not blank: the bundled binary of that version
 *       ({@code 6.2} or {@code 7.0}), whatever else is installed;</li>
 *   <li>the {@code RESLOT_REDIS_SERVER} environment variable, when not blank: that file, which must be
 *       executable (a wrong value is an error, not a reason to look elsewhere);</li>
 *   <li>the first {@code redis-server} on {@code PATH};</li>
 *   <li>the bundled Redis 7.0 for this OS and architecture.</li>
 * </ol>
 * A bundled binary is copied once from the class path to
 * {@code <cache>/<groupId>-<artifactId>-<version>/<resource>} (cache: {@code ~/.cache/reslot/redis}, or
 * {@code <java.io.tmpdir>/reslot-redis-<user>} if the home directory is not writable), through a temporary file
 * in the same directory and an atomic rename, so two JVMs extracting at once both end up with a complete file.
 * Later runs reuse it when its size matches the class-path resource.
 */
public final class BinaryLocator {
    /** Environment variable naming a redis-server executable. */
    public static final String ENVIRONMENT_VARIABLE = "RESLOT_REDIS_SERVER";
    /** System property choosing a bundled version ({@code 6.2}, {@code 7.0}); blank means "resolve normally". */
    public static final String VERSION_PROPERTY = "reslot.redis";
    /** Bundled version used when nothing else is found. */
    public static final String DEFAULT_BUNDLED_VERSION = "7.0";

    private static final Pattern VERSION = Pattern.compile("\\bv=(\\d+\\.\\d+\\.\\d+)");
    private static final Map<String, String> VERSION_CACHE = new ConcurrentHashMap<>();

    private record Bundle(String groupId, String artifactId, String fallbackVersion, Map<String, String> resources) {
    }

    private static final Map<String, Bundle> BUNDLES = Map.of(
            "7.0", new Bundle("org.signal", "embedded-redis", "0.9.1", Map.of(
                    "linux-amd64", "redis-server-7.0.15-linux-amd64",
                    "linux-arm64", "redis-server-7.0.15-linux-arm64",
                    "darwin-amd64", "redis-server-7.0.15-darwin-amd64",
                    "darwin-arm64", "redis-server-7.0.15-darwin-arm64")),
            "6.2", new Bundle("com.github.codemonstur", "embedded-redis", "1.4.4", Map.of(
                    "linux-amd64", "redis-server-6.2.6-v5-linux-amd64",
                    "linux-arm64", "redis-server-6.2.7-linux-arm64",
                    "darwin-amd64", "redis-server-6.2.6-v5-darwin-amd64",
                    "darwin-arm64", "redis-server-6.2.6-v5-darwin-arm64")));

    /**
     * A found executable.
     *
     * @param path    the executable
     * @param version what {@code --version} printed after {@code v=}, e.g. {@code 7.0.15}
     * @param source  where it was found
     */
    public record Located(Path path, String version, Source source) {
    }

    private final Map<String, String> environment;
    private final String property;
    private final List<Path> cacheRoots;
    private final String platform;
    private final ClassLoader classLoader;

    /**
     * @param environment environment variables ({@code RESLOT_REDIS_SERVER}, {@code PATH})
     * @param property    value of the {@code reslot.redis} system property, null or blank for none
     * @param cacheRoots  directories to extract bundled binaries to, tried in order
     * @param osName      like the {@code os.name} system property
     * @param osArch      like the {@code os.arch} system property
     */
    public BinaryLocator(Map<String, String> environment, String property, List<Path> cacheRoots, String osName,
                         String osArch) {
        this.environment = Map.copyOf(environment);
        this.property = property == null ? "" : property.trim();
        this.cacheRoots = List.copyOf(cacheRoots);
        this.platform = platform(osName, osArch);
        this.classLoader = BinaryLocator.class.getClassLoader();
    }

    /** @return a locator that reads this JVM's environment, system properties and home directory */
    public static BinaryLocator system() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return new BinaryLocator(System.getenv(), System.getProperty(VERSION_PROPERTY), List.of(
                Path.of(System.getProperty("user.home"), ".cache", "reslot", "redis"),
                Path.of(System.getProperty("java.io.tmpdir"), "reslot-redis-" + user)),
                System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    /**
     * Resolves in the order described in the class comment.
     *
     * @throws SandboxException {@link SandboxErrorCode#BINARY_NOT_FOUND} listing what was tried, or
     *                          {@link SandboxErrorCode#BINARY_NOT_USABLE} if the binary found does not run
     */
    public Located resolve() {
        if (!property.isEmpty()) {
            if (!BUNDLES.containsKey(property)) {
                throw new SandboxException(SandboxErrorCode.BINARY_NOT_FOUND, String.format(
                        "system property %s=%s names no bundled redis-server; use one of %s, or leave it empty",
                        VERSION_PROPERTY, property, new TreeSet<>(BUNDLES.keySet())));
            }
            return bundled(property);
        }
        List<String> tried = new ArrayList<>();
        String fromEnvironment = environment.getOrDefault(ENVIRONMENT_VARIABLE, "").trim();
        if (!fromEnvironment.isEmpty()) {
            Path path = toPath(fromEnvironment);
            if (path == null || !Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new SandboxException(SandboxErrorCode.BINARY_NOT_FOUND, String.format(
                        "%s=%s is not an executable file; point it at a redis-server or unset it",
                        ENVIRONMENT_VARIABLE, fromEnvironment));
            }
            return new Located(path, probeVersion(path), Source.ENVIRONMENT);
        }
        tried.add(ENVIRONMENT_VARIABLE + " is not set");
        String searchPath = environment.getOrDefault("PATH", "");
        Optional<Path> onPath = findOnPath(searchPath);
        if (onPath.isPresent()) {
            return new Located(onPath.get(), probeVersion(onPath.get()), Source.PATH);
        }
        tried.add("no redis-server on PATH (" + searchPath + ")");
        try {
            return bundled(DEFAULT_BUNDLED_VERSION);
        } catch (SandboxException e) {
            tried.add(e.getMessage());
            throw new SandboxException(e.code(), "no usable redis-server: " + String.join("; ", tried)
                    + ". Install Redis, or set " + ENVIRONMENT_VARIABLE + " to a redis-server executable.", e);
        }
    }

    /**
     * Extracts (or reuses) the bundled binary of a version and checks that it runs.
     *
     * @param version {@code 6.2} or {@code 7.0}
     * @throws IllegalArgumentException if nothing of that version is bundled at all
     * @throws SandboxException {@link SandboxErrorCode#BINARY_NOT_FOUND} if there is no build for this platform
     *                          or the artifact is not on the class path,
     *                          {@link SandboxErrorCode#BINARY_EXTRACTION_FAILED} if no cache directory is writable,
     *                          {@link SandboxErrorCode#BINARY_NOT_USABLE} if the binary does not run here
     */
    public Located bundled(String version) {
        Bundle bundle = BUNDLES.get(version);
        Checks.requireArgument(bundle != null, "no bundled redis-server has version '%s'; bundled: %s", version,
                new TreeSet<>(BUNDLES.keySet()));
        String resource = bundle.resources().get(platform);
        if (resource == null) {
            throw new SandboxException(SandboxErrorCode.BINARY_NOT_FOUND, String.format(
                    "no bundled redis-server %s for %s (bundled for %s)", version, platform,
                    new TreeSet<>(bundle.resources().keySet())));
        }
        URL url = classLoader.getResource(resource);
        if (url == null) {
            throw new SandboxException(SandboxErrorCode.BINARY_NOT_FOUND, String.format(
                    "bundled redis-server %s (%s) is not on the class path; add %s:%s to the dependencies",
                    version, resource, bundle.groupId(), bundle.artifactId()));
        }
        String directory = bundle.groupId() + "-" + bundle.artifactId() + "-" + artifactVersion(bundle);
        List<String> failures = new ArrayList<>();
        for (Path root : cacheRoots) {
            try {
                Path path = extract(url, root.resolve(directory), resource);
                return new Located(path, probeVersion(path), Source.BUNDLED);
            } catch (IOException | UncheckedIOException e) {
                failures.add(root + ": " + e);
            }
        }
        throw new SandboxException(SandboxErrorCode.BINARY_EXTRACTION_FAILED,
                "could not extract " + resource + " to any cache directory: " + String.join("; ", failures));
    }

    /**
     * Runs {@code <path> --version} and returns the version it prints; remembered per file, size and mtime.
     *
     * @throws SandboxException {@link SandboxErrorCode#BINARY_NOT_USABLE} if it does not run, fails, times out
     *                          or prints no {@code v=x.y.z}
     */
    public static String probeVersion(Path path) {
        String key;
        try {
            key = path.toRealPath() + "|" + Files.size(path) + "|" + Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            throw new SandboxException(SandboxErrorCode.BINARY_NOT_USABLE, "cannot read " + path + ": " + e, e);
        }
        String cached = VERSION_CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        String output;
        int exit;
        try {
            Process process = Executables.start(new ProcessBuilder(path.toString(), "--version")
                    .redirectErrorStream(true));
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SandboxException(SandboxErrorCode.BINARY_NOT_USABLE,
                        path + " --version did not finish within 10 s");
            }
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            exit = process.exitValue();
        } catch (IOException e) {
            throw new SandboxException(SandboxErrorCode.BINARY_NOT_USABLE, "cannot run " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException(SandboxErrorCode.BINARY_NOT_USABLE, "interrupted running " + path, e);
        }
        Matcher matcher = VERSION.matcher(output);
        if (exit != 0 || !matcher.find()) {
            throw new SandboxException(SandboxErrorCode.BINARY_NOT_USABLE, String.format(
                    "%s --version exited with %d and printed: %s", path, exit,
                    output.length() > 500 ? output.substring(0, 500) + "..." : output));
        }
        VERSION_CACHE.put(key, matcher.group(1));
        return matcher.group(1);
    }

    /** @return {@code os-arch} as used in the bundled resource names, e.g. {@code linux-amd64} */
    static String platform(String osName, String osArch) {
        String os = osName == null ? "unknown" : osName.toLowerCase(Locale.ROOT);
        String arch = osArch == null ? "unknown" : osArch.toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            os = "linux";
        } else if (os.contains("mac") || os.contains("darwin")) {
            os = "darwin";
        }
        if (arch.equals("x86_64") || arch.equals("amd64")) {
            arch = "amd64";
        } else if (arch.equals("aarch64") || arch.equals("arm64")) {
            arch = "arm64";
        }
        return os.replace(' ', '_') + "-" + arch;
    }

    private static Optional<Path> findOnPath(String searchPath) {
        for (String entry : searchPath.split(Pattern.quote(File.pathSeparator))) {
            if (entry.isBlank()) {
                continue;
            }
            Path directory = toPath(entry);
            Path candidate = directory == null ? null : directory.resolve("redis-server");
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Path toPath(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private String artifactVersion(Bundle bundle) {
        String name = "META-INF/maven/" + bundle.groupId() + "/" + bundle.artifactId() + "/pom.properties";
        try (InputStream in = classLoader.getResourceAsStream(name)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "").trim();
                if (version.matches("[A-Za-z0-9._-]+")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // fall through: the resource names already carry the Redis version, the fallback is good enough
        }
        return bundle.fallbackVersion();
    }

    private static Path extract(URL url, Path directory, String resource) throws IOException {
        Path target = directory.resolve(resource);
        long expectedSize = url.openConnection().getContentLengthLong();
        if (Files.isRegularFile(target) && Files.isExecutable(target)
                && (expectedSize < 0 || Files.size(target) == expectedSize)) {
            return target;
        }
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, resource + ".", ".tmp");
        try {
            try (InputStream in = url.openStream()) {
                Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            }
            PosixFileAttributeView posix = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
            if (posix != null) {
                posix.setPermissions(PosixFilePermissions.fromString("rwxr-xr-x"));
            } else if (!temporary.toFile().setExecutable(true, false)) {
                throw new IOException("cannot make " + temporary + " executable");
            }
            try {
                // rename(2) replaces atomically: a concurrent extractor's identical file is simply replaced
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        return target;
    }
}
