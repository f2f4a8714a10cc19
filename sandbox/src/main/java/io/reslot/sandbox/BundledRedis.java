package io.reslot.sandbox;

import io.reslot.sandbox.internal.Checks;

/**
 * The {@code redis-server} versions bundled with the sandbox, taken from Maven artifacts so that no Redis needs to
 * be installed: Redis 7.0.15 from {@code org.signal:embedded-redis} and Redis 6.2 from
 * {@code com.github.codemonstur:embedded-redis} (whose Linux x86-64 build reports version 6.2.11). Each exists for
 * Linux and macOS on x86-64 and arm64.
 *
 * @see RedisServerBinary#bundled(BundledRedis)
 */
public enum BundledRedis {
    /** Redis 6.2 ({@code CLUSTER ADDSLOTS} only, no {@code ADDSLOTSRANGE}). */
    REDIS_6_2("6.2"),
    /** Redis 7.0.15, the default. */
    REDIS_7_0("7.0");

    /** The version used when nothing else is asked for. */
    public static final BundledRedis DEFAULT = REDIS_7_0;

    private final String version;

    BundledRedis(String version) {
        this.version = version;
    }

    /** @return the major.minor version, {@code "6.2"} or {@code "7.0"} */
    public String version() {
        return version;
    }

    /**
     * Looks up a bundled version by its major.minor name, as given in the {@code reslot.redis} system property.
     *
     * @param version {@code "6.2"} or {@code "7.0"}
     * @return the matching constant
     * @throws IllegalArgumentException if no bundled binary has that version
     */
    public static BundledRedis of(String version) {
        for (BundledRedis candidate : values()) {
            if (candidate.version.equals(version == null ? null : version.trim())) {
                return candidate;
            }
        }
        throw Checks.argument("no bundled redis-server has version '%s'; bundled versions are 6.2 and 7.0", version);
    }
}
