package io.reslot.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build, from {@code version.properties}, which Maven resource filtering fills with the
 * project version.
 */
final class Version {

    private static final String RESOURCE = "version.properties";

    private Version() {
    }

    /**
     * Returns the project version, e.g. {@code 0.1.0-SNAPSHOT}.
     *
     * @throws IllegalStateException if the resource is missing or was not filtered (a build problem)
     */
    static String get() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath; rebuild with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        String version = properties.getProperty("version", "");
        if (version.isEmpty() || version.contains("${")) {
            throw new IllegalStateException(RESOURCE + " holds no version ('" + version
                    + "'); rebuild with Maven so resources are filtered");
        }
        return version;
    }
}
