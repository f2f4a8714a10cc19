package io.reslot.sandbox;

import io.reslot.sandbox.internal.BinaryLocator;
import io.reslot.sandbox.internal.Checks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@code redis-server} executable and the version it reports. Immutable.
 *
 * <p>{@link #resolve()} looks, in this order, at: the {@value #VERSION_PROPERTY} system property (when set to
 * {@code 6.2} or {@code 7.0}, the bundled binary of that version is used, whatever is installed; an empty value
 * means "resolve normally"), the {@value #ENVIRONMENT_VARIABLE} environment variable (a path), {@code redis-server}
 * on {@code PATH}, and finally the bundled Redis 7.0 for this OS and architecture. Bundled binaries are extracted
 * once to {@code ~/.cache/reslot/redis/<artifact>-<version>/} and reused by later runs.
 */
public final class RedisServerBinary {
    /** Environment variable naming a redis-server executable. */
    public static final String ENVIRONMENT_VARIABLE = BinaryLocator.ENVIRONMENT_VARIABLE;
    /** System property picking a bundled version: {@code 6.2}, {@code 7.0}, or empty to resolve normally. */
    public static final String VERSION_PROPERTY = BinaryLocator.VERSION_PROPERTY;

    /** Where a binary came from. */
    public enum Source {
        /** Given to {@link #of(Path)}. */
        EXPLICIT,
        /** The {@value RedisServerBinary#ENVIRONMENT_VARIABLE} environment variable. */
        ENVIRONMENT,
        /** {@code redis-server} on {@code PATH}. */
        PATH,
        /** Extracted from a bundled Maven artifact. */
        BUNDLED
    }

    private final Path path;
    private final String version;
    private final Source source;
    private final int major;
    private final int minor;

    private RedisServerBinary(BinaryLocator.Located located) {
        this.path = located.path();
        this.version = located.version();
        this.source = located.source();
        String[] parts = version.split("\\.");
        this.major = Integer.parseInt(parts[0]);
        this.minor = Integer.parseInt(parts[1]);
    }

    /**
     * Finds a {@code redis-server} in the order given in the class comment and runs it with {@code --version}.
     *
     * @return the binary found
     * @throws SandboxException {@link SandboxErrorCode#BINARY_NOT_FOUND} naming everything that was tried,
     *                          {@link SandboxErrorCode#BINARY_NOT_USABLE} if the binary found does not run, or
     *                          {@link SandboxErrorCode#BINARY_EXTRACTION_FAILED} if a bundled one cannot be copied
     */
    public static RedisServerBinary resolve() {
        return new RedisServerBinary(BinaryLocator.system().resolve());
    }

    /**
     * The bundled binary of a version, regardless of the system property, the environment and {@code PATH}.
     *
     * @throws NullPointerException if {@code version} is null
     * @throws SandboxException {@link SandboxErrorCode#BINARY_NOT_FOUND} if there is no build for this OS and
     *                          architecture, {@link SandboxErrorCode#BINARY_EXTRACTION_FAILED} or
     *                          {@link SandboxErrorCode#BINARY_NOT_USABLE} if it cannot be extracted or run
     */
    public static RedisServerBinary bundled(BundledRedis version) {
        Objects.requireNonNull(version, "version");
        return new RedisServerBinary(BinaryLocator.system().bundled(version.version()));
    }

    /**
     * A given executable.
     *
     * @throws IllegalArgumentException if {@code path} is not an executable file
     * @throws SandboxException {@link SandboxErrorCode#BINARY_NOT_USABLE} if {@code path --version} fails
     */
    public static RedisServerBinary of(Path path) {
        Checks.requireArgument(path != null && Files.isRegularFile(path) && Files.isExecutable(path),
                "%s is not an executable file", path);
        return new RedisServerBinary(new BinaryLocator.Located(path, BinaryLocator.probeVersion(path),
                Source.EXPLICIT));
    }

    /** @return the executable */
    public Path path() {
        return path;
    }

    /** @return the version the binary reports, e.g. {@code 7.0.15} */
    public String version() {
        return version;
    }

    /** @return the major version, e.g. 7 */
    public int majorVersion() {
        return major;
    }

    /** @return the minor version, e.g. 0 */
    public int minorVersion() {
        return minor;
    }

    /** @return whether the version is {@code major.minor} or later */
    public boolean isAtLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    /** @return where the binary was found */
    public Source source() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisServerBinary other && path.equals(other.path) && version.equals(other.version);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + version.hashCode();
    }

    @Override
    public String toString() {
        return "redis-server " + version + " (" + source.name().toLowerCase(java.util.Locale.ROOT) + ", " + path
                + ")";
    }
}
