package io.reslot.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.reslot.migrate.AccessOptions;

/**
 * The one place where the connection options ({@code --cluster}, {@code --user}, {@code --password-env},
 * {@code --password-file}, {@code --tls}, {@code --tls-ca}) and the environment ({@code RESLOT_CLUSTER}, {@code REDISCLI_AUTH}) become
 * the engine's {@link AccessOptions}. Nothing is checked until a command connects, so that commands that never do
 * ({@code slot}) are not failed by a stale environment.
 *
 * <p>The password never comes from the command line, where {@code ps} and shell history would show it: only from
 * an environment variable or a file. It is kept as a {@code char[]} and never printed.
 */
final class Connection {

    /** The seed when neither {@code --cluster} nor {@code RESLOT_CLUSTER} gives one. */
    static final String DEFAULT_SEED = AccessOptions.DEFAULT_SEED;
    /** Seed nodes, comma-separated, used when no {@code --cluster} is given. */
    static final String CLUSTER_ENV = "RESLOT_CLUSTER";
    /** The password, as {@code redis-cli} reads it, used when neither password option is given. */
    static final String PASSWORD_ENV = "REDISCLI_AUTH";

    private Connection() {
    }

    /**
     * Builds the access options from the global options and the environment.
     *
     * @param given the global options as given
     * @param env the process environment (a map, so tests can pass their own)
     * @throws UsageException naming the option or variable if a seed is not {@code HOST:PORT}, both password options
     *     are given, the password variable is unset or empty, the password file cannot be read or is empty, a
     *     user is given without a password, or the {@code --tls-ca} file is not a readable file
     */
    static AccessOptions accessOptions(GlobalOptions.Given given, Map<String, String> env) {
        AccessOptions.Builder builder = AccessOptions.builder().tls(given.tls());
        if (given.tlsCa() != null) {
            Path ca;
            try {
                ca = Path.of(given.tlsCa());
            } catch (InvalidPathException e) {
                throw new UsageException("--tls-ca: '" + given.tlsCa() + "' is not a file name: " + e.getReason());
            }
            if (!Files.isRegularFile(ca) || !Files.isReadable(ca)) {
                throw new UsageException("--tls-ca: cannot read certificates from '" + given.tlsCa() + "': "
                        + (Files.exists(ca) ? "not a readable file" : "no such file"));
            }
            builder.tlsCaFile(ca);
        }
        if (!given.clusters().isEmpty()) {
            addSeeds(builder, given.clusters(), "--" + GlobalOptions.CLUSTER);
        } else if (env.get(CLUSTER_ENV) != null && !env.get(CLUSTER_ENV).isBlank()) {
            addSeeds(builder, List.of(env.get(CLUSTER_ENV)), CLUSTER_ENV);
        }
        char[] password = password(given, env);
        if (given.user() != null && password == null) {
            throw new UsageException("--user " + given.user() + " needs a password: give --password-env VAR or "
                    + "--password-file FILE, or set " + PASSWORD_ENV);
        }
        builder.user(given.user()).password(password);
        if (password != null) {
            Arrays.fill(password, '\0'); // the builder keeps its own copy
        }
        return builder.build();
    }

    private static void addSeeds(AccessOptions.Builder builder, List<String> values, String source) {
        List<String> seeds = new ArrayList<>();
        for (String value : values) {
            for (String seed : value.split(",", -1)) {
                if (!seed.isBlank()) {
                    seeds.add(seed.strip());
                }
            }
        }
        if (seeds.isEmpty()) {
            throw new UsageException(source + " names no HOST:PORT");
        }
        try {
            builder.seeds(seeds.toArray(new String[0]));
        } catch (IllegalArgumentException e) {
            throw new UsageException(source + ": " + e.getMessage());
        }
    }

    /** The password from the option given, else from {@code REDISCLI_AUTH}; {@code null} when there is none. */
    private static char[] password(GlobalOptions.Given given, Map<String, String> env) {
        if (given.passwordEnv() != null && given.passwordFile() != null) {
            throw new UsageException("give --password-env or --password-file, not both");
        }
        if (given.passwordEnv() != null) {
            String value = env.get(given.passwordEnv());
            if (value == null || value.isEmpty()) {
                throw new UsageException("--password-env: environment variable " + given.passwordEnv()
                        + (value == null ? " is not set" : " is empty"));
            }
            return value.toCharArray();
        }
        if (given.passwordFile() != null) {
            return readPasswordFile(given.passwordFile());
        }
        String fallback = env.get(PASSWORD_ENV);
        return fallback == null || fallback.isEmpty() ? null : fallback.toCharArray();
    }

    private static char[] readPasswordFile(String file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(file, "permission denied");
        } catch (IOException | InvalidPathException e) {
            throw unreadable(file, e.getMessage());
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            int length = chars.remaining();
            if (length > 0 && chars.get(length - 1) == '\n') {
                length--;
                if (length > 0 && chars.get(length - 1) == '\r') {
                    length--;
                }
            }
            if (length == 0) {
                throw unreadable(file, "it is empty");
            }
            char[] password = new char[length];
            chars.get(password);
            Arrays.fill(chars.array(), '\0');
            return password;
        } catch (CharacterCodingException e) {
            throw unreadable(file, "it is not UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static UsageException unreadable(String file, String why) {
        return new UsageException("--password-file: cannot read a password from '" + file + "': " + why);
    }
}
