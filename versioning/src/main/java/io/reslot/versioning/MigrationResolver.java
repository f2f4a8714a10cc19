package io.reslot.versioning;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the migrations in a set of locations and adds those given as objects: scripts named
 * {@code V<version>__<description>.json|.yaml|.yml} in directories and on the class path, and on the class path also
 * classes named {@code V<version>__<description>} that implement {@link RedisMigration}. Subdirectories and
 * subpackages are searched too; files with other names are left alone.
 *
 * <p>Everything is read and checked before anything is returned, so that a bad script or a duplicate version stops a
 * run before it changes the cluster.
 */
final class MigrationResolver {

    private static final String CLASS = ".class";

    private final ClassLoader classLoader;

    /** @param classLoader where {@code classpath:} locations are searched and their classes loaded */
    MigrationResolver(ClassLoader classLoader) {
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    }

    /**
     * Every migration of {@code locations} and {@code javaMigrations}, sorted by version.
     *
     * @throws VersioningException {@link VersioningErrorCode#BAD_SCRIPT} if a location does not exist or cannot be
     *     read, a file starting with {@code V} and ending in {@code .json}, {@code .yaml} or {@code .yml} has no
     *     valid migration name, a script is not valid, a class named like a migration is not one that can be made
     *     (it does not implement {@link RedisMigration}, or has no constructor without parameters), or a Java
     *     migration has no version, description or checksum; {@link VersioningErrorCode#DUPLICATE_VERSION} naming
     *     both if two migrations have the same version
     * @throws NullPointerException if an argument or an item of one is null
     */
    List<ResolvedMigration> resolve(Collection<Location> locations, Collection<? extends RedisMigration> javaMigrations) {
        List<ResolvedMigration> found = new ArrayList<>();
        for (Location location : new LinkedHashSet<>(locations)) {
            if (location.classpath()) {
                scanClasspath(location, found);
            } else {
                scanDirectory(location, found);
            }
        }
        for (RedisMigration migration : javaMigrations) {
            found.add(java(migration, "class " + migration.getClass().getName()));
        }
        found.sort(Comparator.comparing(ResolvedMigration::version));
        for (int i = 1; i < found.size(); i++) {
            ResolvedMigration a = found.get(i - 1);
            ResolvedMigration b = found.get(i);
            if (a.version().equals(b.version())) {
                throw new VersioningException(VersioningErrorCode.DUPLICATE_VERSION, "two migrations have version "
                        + a.version() + ": " + a.source() + " and " + b.source() + "; give each migration its own "
                        + "version");
            }
        }
        return List.copyOf(found);
    }

    /** Reads a resource's bytes. */
    @FunctionalInterface
    private interface Content {
        byte[] read() throws IOException;
    }

    private void scanDirectory(Location location, List<ResolvedMigration> found) {
        Path dir = location.directory();
        if (!Files.exists(dir)) {
            throw VersioningException.badScript("location " + location + " does not exist (" + dir.toAbsolutePath()
                    + "); create the directory or correct the location");
        }
        if (!Files.isDirectory(dir)) {
            throw VersioningException.badScript("location " + location + " is not a directory; give the directory "
                    + "that holds the migrations");
        }
        for (Path file : files(dir, location)) {
            String relative = dir.relativize(file).toString().replace(File.separatorChar, '/');
            found(location, relative, file.toString(), () -> Files.readAllBytes(file), found);
        }
    }

    private void scanClasspath(Location location, List<ResolvedMigration> found) {
        List<URL> urls;
        try {
            urls = Collections.list(classLoader.getResources(location.path()));
        } catch (IOException e) {
            throw VersioningException.badScript("location " + location + " cannot be read: " + e.getMessage(), e);
        }
        if (urls.isEmpty()) {
            throw VersioningException.badScript("location " + location + " does not exist: no directory or jar on "
                    + "the class path has " + location.path() + "; correct the location");
        }
        for (URL url : urls) {
            switch (url.getProtocol()) {
                case "file" -> scanClasspathDirectory(location, url, found);
                case "jar" -> scanJar(location, url, found);
                default -> throw VersioningException.badScript("location " + location + " is at " + url + ", which "
                        + "cannot be searched: only directories and jar files can");
            }
        }
    }

    private void scanClasspathDirectory(Location location, URL url, List<ResolvedMigration> found) {
        Path dir;
        try {
            dir = Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw VersioningException.badScript("location " + location + " is at " + url + ", which is not a "
                    + "valid directory: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(dir)) {
            return; // a resource file that has the location's name; no migrations in it
        }
        for (Path file : files(dir, location)) {
            String relative = dir.relativize(file).toString().replace(File.separatorChar, '/');
            found(location, relative, Location.CLASSPATH_PREFIX + location.path() + "/" + relative,
                    () -> Files.readAllBytes(file), found);
        }
    }

    private void scanJar(Location location, URL url, List<ResolvedMigration> found) {
        // jar:file:/path/to/app.jar!/db/redis
        String spec = url.getPath();
        int separator = spec.indexOf("!/");
        if (separator < 0 || spec.indexOf("!/", separator + 2) >= 0) {
            throw VersioningException.badScript("location " + location + " is at " + url + ", which cannot be "
                    + "searched: only directories and jar files can, not jars inside jars");
        }
        Path jar;
        try {
            jar = Path.of(new URI(spec.substring(0, separator)));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw VersioningException.badScript("location " + location + " is at " + url + ", which is not in a "
                    + "jar file on this machine: " + e.getMessage(), e);
        }
        String prefix = location.path() + "/";
        try (JarFile file = new JarFile(jar.toFile())) {
            List<JarEntry> entries = Collections.list(file.entries()).stream()
                    .filter(entry -> !entry.isDirectory() && entry.getName().startsWith(prefix))
                    .sorted(Comparator.comparing(JarEntry::getName))
                    .toList();
            for (JarEntry entry : entries) {
                found(location, entry.getName().substring(prefix.length()),
                        jar + "!/" + entry.getName(),
                        () -> file.getInputStream(entry).readAllBytes(), found);
            }
        } catch (IOException e) {
            throw VersioningException.badScript("location " + location + ": cannot read " + jar + ": "
                    + e.getMessage(), e);
        }
    }

    /** The regular files under {@code dir}, in the order of their paths. */
    private static List<Path> files(Path dir, Location location) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | RuntimeException e) {
            throw VersioningException.badScript("location " + location + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Takes one file of a location if it is a migration.
     *
     * @param relative its path below the location, with {@code /}
     * @param source where it is, for messages
     */
    private void found(Location location, String relative, String source, Content content,
            List<ResolvedMigration> found) {
        String fileName = relative.substring(relative.lastIndexOf('/') + 1);
        if (location.classpath() && fileName.endsWith(CLASS)) {
            String simpleName = fileName.substring(0, fileName.length() - CLASS.length());
            // Nested and anonymous classes of a migration ($) are not migrations themselves.
            if (MigrationName.looksVersioned(simpleName) && simpleName.indexOf('$') < 0) {
                String className = (location.path() + "/" + relative).replace('/', '.');
                className = className.substring(0, className.length() - CLASS.length());
                found.add(java(instantiate(className, source), source));
            }
            return;
        }
        if (!fileName.startsWith("V") || !MigrationScript.isScriptName(fileName)) {
            return;
        }
        MigrationName name;
        try {
            name = MigrationName.parse(fileName.substring(0, fileName.lastIndexOf('.')));
        } catch (IllegalArgumentException e) {
            throw VersioningException.badScript(source + ": " + e.getMessage() + "; rename the file, or move it out "
                    + "of location " + location, e);
        }
        byte[] bytes;
        try {
            bytes = content.read();
        } catch (IOException e) {
            throw VersioningException.badScript(source + ": cannot read the script: " + e.getMessage(), e);
        }
        MigrationScript script = MigrationScript.read(bytes, source);
        found.add(new ResolvedMigration(name.version(), name.description(), ResolvedMigration.Type.SCRIPT, relative,
                source, script.checksum(), script.steps(), null));
    }

    private RedisMigration instantiate(String className, String source) {
        String named = source + ": class " + className;
        Class<?> type;
        try {
            type = Class.forName(className, false, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw VersioningException.badScript(named + " cannot be loaded: " + e, e);
        }
        if (!RedisMigration.class.isAssignableFrom(type)) {
            throw VersioningException.badScript(named + " is named like a migration but does not implement "
                    + RedisMigration.class.getName() + "; implement it (or extend " + BaseRedisMigration.class
                    .getSimpleName() + "), or rename the class");
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw VersioningException.badScript(named + " is abstract; a migration class must be one that can be "
                    + "made, or be named otherwise");
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return (RedisMigration) constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw VersioningException.badScript(named + " has no constructor without parameters; add one", e);
        } catch (InvocationTargetException e) {
            throw VersioningException.badScript(named + ": its constructor failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw VersioningException.badScript(named + " cannot be made: " + e, e);
        }
    }

    /** A Java migration, checked: it has a version, a description and a checksum. */
    private static ResolvedMigration java(RedisMigration migration, String source) {
        Objects.requireNonNull(migration, "migration");
        String name = migration.getClass().getName();
        MigrationVersion version = migration.version();
        if (version == null) {
            throw VersioningException.badScript("Java migration " + name + ": version() returned null; return the "
                    + "migration's version");
        }
        String description = migration.description();
        if (description == null) {
            throw VersioningException.badScript("Java migration " + name + ": description() returned null; return "
                    + "a few words, or an empty string");
        }
        String checksum = migration.checksum();
        if (checksum == null || checksum.isBlank()) {
            throw VersioningException.badScript("Java migration " + name + ": checksum() returned "
                    + (checksum == null ? "null" : "a blank string") + "; every migration needs a checksum, so that "
                    + "validate can tell when it changed; return one such as Checksums.of(text), or extend "
                    + BaseRedisMigration.class.getSimpleName());
        }
        return new ResolvedMigration(version, description, ResolvedMigration.Type.JAVA, name, source, checksum,
                List.of(), migration);
    }
}
