package io.reslot.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reslot.sandbox.SandboxErrorCode;
import io.reslot.sandbox.SandboxException;

/**
 * What {@code reslot sandbox up} records about a sandbox it started, so that later runs of {@code status} and
 * {@code down} find its processes: one JSON file {@code <port>.json} per sandbox, keyed by the port of its first node,
 * in the sandbox directory ({@link #home(Map)}), next to the sandbox's data directory.
 *
 * <p>A state file is read back only after {@link #validate(String) validation}: {@code down} signals the pids and
 * deletes the data directory it names, so a file that was edited or truncated must not make it touch anything else.
 *
 * @param version      the format, {@value #FORMAT}
 * @param port         the first node's port, which names the file
 * @param directory    the data directory (one {@code node-<i>} directory per node); always a
 *                     {@value #DATA_PREFIX}... directory directly in the sandbox directory
 * @param redisPath    the {@code redis-server} the nodes run
 * @param redisVersion its version
 * @param startedAt    when the sandbox was started, ISO-8601 UTC
 * @param nodes        the nodes, masters first
 */
record SandboxState(int version, int port, String directory, String redisPath, String redisVersion, String startedAt,
        List<Node> nodes) {

    /** The one format there is. */
    static final int FORMAT = 1;
    /** Overrides where sandboxes are recorded (tests use a temporary directory). */
    static final String HOME_ENV = "RESLOT_SANDBOX_DIR";
    /** How the data directories are named (as {@code LocalCluster} creates them). */
    static final String DATA_PREFIX = "reslot-sandbox-";
    /** The loopback address every sandbox node listens on. */
    static final String HOST = "127.0.0.1";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
    /** The highest port a node can have: its cluster bus port is 10000 higher. */
    static final int MAX_PORT = 65535 - 10000;

    /**
     * One {@code redis-server}.
     *
     * @param address {@code 127.0.0.1:port}
     * @param port    its client port
     * @param pid     its process id
     * @param id      its cluster node id
     * @param role    {@code master} or {@code replica}
     * @param master  the node id of its master, for a replica; else null
     */
    record Node(String address, int port, long pid, String id, String role, String master) {
    }

    /**
     * The sandbox directory: {@code $RESLOT_SANDBOX_DIR}, else {@code $XDG_STATE_HOME/reslot/sandbox}, else
     * {@code ~/.local/state/reslot/sandbox} (the XDG default for state that outlives a run).
     */
    static Path home(Map<String, String> env) {
        String override = env.get(HOME_ENV);
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath().normalize();
        }
        String xdg = env.get("XDG_STATE_HOME");
        Path state = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return state.resolve("reslot").resolve("sandbox").toAbsolutePath().normalize();
    }

    /** The state file of the sandbox whose first port is {@code port}, in sandbox directory {@code home}. */
    static Path file(Path home, int port) {
        return home.resolve(port + ".json");
    }

    /** The file this state is kept in, in sandbox directory {@code home}. */
    Path file(Path home) {
        return file(home, port);
    }

    /** {@code 127.0.0.1:port} of the first node: the seed to give {@code -c}. */
    String seed() {
        return HOST + ":" + port;
    }

    /**
     * Reads and validates the state file of {@code port}.
     *
     * @return empty if there is none
     * @throws SandboxException {@link SandboxErrorCode#IO_ERROR} if it cannot be read or is not a valid state file
     */
    static Optional<SandboxState> read(Path home, int port) {
        Path file = file(home, port);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SandboxException(SandboxErrorCode.IO_ERROR, "cannot read " + file + ": " + e, e);
        }
        try {
            return Optional.of(parse(text, home, port));
        } catch (IllegalArgumentException e) {
            throw new SandboxException(SandboxErrorCode.IO_ERROR, file + " is not a valid sandbox state file: "
                    + e.getMessage() + "; if no sandbox of it runs any more, delete it", e);
        }
    }

    /**
     * Every sandbox recorded in {@code home}, by port; none if the directory does not exist.
     *
     * @throws SandboxException as for {@link #read(Path, int)}
     */
    static List<SandboxState> all(Path home) {
        List<Integer> ports = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(home, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String digits = name.substring(0, name.length() - ".json".length());
                if (digits.matches("[1-9][0-9]{0,4}")) {
                    ports.add(Integer.parseInt(digits));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new SandboxException(SandboxErrorCode.IO_ERROR, "cannot list " + home + ": " + e, e);
        }
        ports.sort(Comparator.naturalOrder());
        List<SandboxState> states = new ArrayList<>();
        for (int port : ports) {
            read(home, port).ifPresent(states::add);
        }
        return states;
    }

    /**
     * Parses and validates a state file's text.
     *
     * @param home where it was found
     * @param port the port its name says
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static SandboxState parse(String json, Path home, int port) {
        SandboxState state;
        try {
            state = MAPPER.readValue(json, SandboxState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        if (state == null) {
            throw new IllegalArgumentException("it holds no JSON object");
        }
        state.validate(home, port);
        return state;
    }

    /**
     * Checks everything {@code down} relies on.
     *
     * @throws IllegalArgumentException naming the first thing that is wrong
     */
    void validate(Path home, int expectedPort) {
        require(version == FORMAT, "format %d is not %d", version, FORMAT);
        require(port == expectedPort, "port %d does not match the file name %d.json", port, expectedPort);
        require(directory != null && Path.of(directory).isAbsolute(), "directory %s is not an absolute path",
                directory);
        Path data = Path.of(directory).normalize();
        // down deletes this directory: only ever one that sandbox up created, in the sandbox directory
        require(home.equals(data.getParent()) && data.getFileName().toString().startsWith(DATA_PREFIX)
                && data.getFileName().toString().length() > DATA_PREFIX.length(),
                "directory %s is not a %s... directory in %s", directory, DATA_PREFIX, home);
        require(redisPath != null && Path.of(redisPath).isAbsolute(), "redisPath %s is not an absolute path",
                redisPath);
        require(redisVersion != null && redisVersion.matches("\\d+\\.\\d+(\\.\\d+)?"), "redisVersion %s is not "
                + "a version", redisVersion);
        try {
            Instant.parse(String.valueOf(startedAt));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("startedAt " + startedAt + " is not an ISO-8601 instant", e);
        }
        require(nodes != null && !nodes.isEmpty(), "there are no nodes");
        require(nodes.get(0).port() == port, "the first node's port %d is not %d", nodes.get(0).port(), port);
        Set<Integer> ports = new HashSet<>();
        Set<Long> pids = new HashSet<>();
        for (Node node : nodes) {
            require(node != null, "a node is null");
            require(node.port() >= 1 && node.port() <= MAX_PORT, "node port %d is not 1-%d", node.port(), MAX_PORT);
            require((HOST + ":" + node.port()).equals(node.address()), "node address %s is not %s:%d",
                    node.address(), HOST, node.port());
            require(node.pid() > 1, "node %s has pid %d", node.address(), node.pid());
            require(ports.add(node.port()), "port %d is recorded twice", node.port());
            require(pids.add(node.pid()), "pid %d is recorded twice", node.pid());
            require(node.id() != null && node.id().matches("[0-9a-f]{40}"), "node %s has id %s", node.address(),
                    node.id());
            require("master".equals(node.role()) ? node.master() == null
                    : "replica".equals(node.role()) && node.master() != null && node.master().matches("[0-9a-f]{40}"),
                    "node %s has role %s and master %s", node.address(), node.role(), node.master());
        }
    }

    /**
     * Writes this state to its file in {@code home}, atomically where the file system can: a reader sees the old
     * file, none, or the whole new one.
     *
     * @throws IOException if it cannot be written
     */
    void write(Path home) throws IOException {
        Files.createDirectories(home);
        Path file = file(home);
        Path temporary = Files.createTempFile(home, "." + port, ".tmp");
        try {
            Files.write(temporary, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void require(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(format, args));
        }
    }
}
