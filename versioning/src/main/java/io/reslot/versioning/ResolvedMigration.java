package io.reslot.versioning;

import java.util.List;
import java.util.Objects;

/**
 * A migration found in a location or given explicitly: what {@code info} lists and {@code migrate} applies.
 *
 * @param version its version
 * @param description its description
 * @param type a script or a Java migration
 * @param script the script's path relative to its location ({@code sub/V1__x.yaml}), or the Java migration's class
 *     name; stored in the history
 * @param source where it was found, for messages: the file's path or resource, or {@code class NAME}
 * @param checksum its checksum, never blank
 * @param steps a script's steps; empty for a Java migration
 * @param java a Java migration; null for a script
 */
record ResolvedMigration(MigrationVersion version, String description, Type type, String script, String source,
        String checksum, List<Step> steps, RedisMigration java) {

    /** How a migration is written. */
    enum Type {
        /** A JSON or YAML script of steps. */
        SCRIPT,
        /** A {@link RedisMigration} class. */
        JAVA
    }

    ResolvedMigration {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(checksum, "checksum");
        steps = List.copyOf(steps);
        if (type == Type.JAVA) {
            Objects.requireNonNull(java, "java");
        }
    }
}
