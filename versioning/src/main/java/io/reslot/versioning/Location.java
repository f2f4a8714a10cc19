package io.reslot.versioning;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where migrations are looked for: a directory ({@code filesystem:db/redis}, or just {@code db/redis}) or a package
 * on the class path ({@code classpath:db/redis}), searched with its subdirectories or subpackages.
 *
 * @param classpath whether {@link #path} is a resource path on the class path rather than a directory
 * @param path the directory, or the resource path without slashes at either end ({@code db/redis})
 */
record Location(boolean classpath, String path) {

    static final String FILESYSTEM_PREFIX = "filesystem:";
    static final String CLASSPATH_PREFIX = "classpath:";

    Location {
        Objects.requireNonNull(path, "path");
    }

    /**
     * Parses {@code filesystem:PATH}, {@code classpath:PACKAGE} (a resource path such as {@code db/redis}), or a plain
     * path, which is a directory.
     *
     * @throws VersioningException {@link VersioningErrorCode#BAD_SCRIPT} naming the text if the path is empty, or not
     *     a valid path on this system
     * @throws NullPointerException if {@code text} is null
     */
    static Location parse(String text) {
        Objects.requireNonNull(text, "text");
        String usage = "; give filesystem:DIR, classpath:PACKAGE (such as classpath:db/redis) or a directory";
        if (text.startsWith(CLASSPATH_PREFIX)) {
            String path = text.substring(CLASSPATH_PREFIX.length()).strip();
            while (path.startsWith("/")) {
                path = path.substring(1);
            }
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (path.isEmpty()) {
                throw VersioningException.badScript("location '" + text + "' names no package" + usage);
            }
            return new Location(true, path);
        }
        String path = text.startsWith(FILESYSTEM_PREFIX) ? text.substring(FILESYSTEM_PREFIX.length()) : text;
        if (path.isBlank()) {
            throw VersioningException.badScript("location '" + text + "' names no directory" + usage);
        }
        try {
            Path.of(path);
        } catch (InvalidPathException e) {
            throw VersioningException.badScript("location '" + text + "' is not a valid path: " + e.getReason()
                    + usage, e);
        }
        return new Location(false, path);
    }

    /** The directory of a filesystem location. */
    Path directory() {
        return Path.of(path);
    }

    /** {@code filesystem:PATH} or {@code classpath:PATH}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return (classpath ? CLASSPATH_PREFIX : FILESYSTEM_PREFIX) + path;
    }
}
