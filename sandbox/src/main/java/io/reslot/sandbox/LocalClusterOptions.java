package io.reslot.sandbox;

import io.reslot.sandbox.internal.Checks;
import io.reslot.sandbox.internal.NodeConfig;
import io.reslot.sandbox.internal.PortAllocator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable options of a {@link LocalCluster}. Build with {@link #builder()}; unset values are the
 * {@code DEFAULT_*} constants.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder().masters(3).replicas(1).start()) { ... }
 * }</pre>
 */
public final class LocalClusterOptions {
    /** Number of masters. */
    public static final int DEFAULT_MASTERS = 3;
    /** Replicas per master. */
    public static final int DEFAULT_REPLICAS = 0;
    /** Base port 0: every node gets a free port picked at random. */
    public static final int DEFAULT_BASE_PORT = 0;
    /** {@code cluster-node-timeout} in milliseconds, as a constant that annotations can use. */
    public static final long DEFAULT_NODE_TIMEOUT_MILLIS = 5000;
    /**
     * {@code cluster-node-timeout}: how long a node may be unreachable before it is flagged as failing and a
     * replica takes over. Short enough that a kill test sees a failover within seconds, long enough that a busy
     * two-core CI machine, or a pause of a second or two, does not flag healthy nodes.
     */
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMillis(DEFAULT_NODE_TIMEOUT_MILLIS);
    /** Bound on starting the cluster and on each operation that waits for it to be ready again. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final LocalClusterOptions DEFAULTS = new Builder().build();

    private final int masters;
    private final int replicas;
    private final int basePort;
    private final RedisServerBinary redis;
    private final Duration nodeTimeout;
    private final Duration timeout;
    private final Path parentDirectory;
    private final Map<String, String> config;
    private final String password;
    private final boolean tls;

    private LocalClusterOptions(Builder b) {
        this.masters = b.masters;
        this.replicas = b.replicas;
        this.basePort = b.basePort;
        this.redis = b.redis;
        this.nodeTimeout = b.nodeTimeout;
        this.timeout = b.timeout;
        this.parentDirectory = b.parentDirectory;
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(b.config));
        this.password = b.password;
        this.tls = b.tls;
    }

    /** @return a builder with every value at its default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the options with every value at its default */
    public static LocalClusterOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder holding these options, to derive changed ones */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.masters = masters;
        b.replicas = replicas;
        b.basePort = basePort;
        b.redis = redis;
        b.nodeTimeout = nodeTimeout;
        b.timeout = timeout;
        b.parentDirectory = parentDirectory;
        b.config.putAll(config);
        b.password = password;
        b.tls = tls;
        return b;
    }

    /** @return number of masters started, at least 1 */
    public int masters() {
        return masters;
    }

    /** @return number of replicas started per master */
    public int replicas() {
        return replicas;
    }

    /** @return number of nodes started: {@code masters * (1 + replicas)} */
    public int nodeCount() {
        return masters * (1 + replicas);
    }

    /** @return port of the first node (node {@code i} gets {@code basePort + i}), or 0 for free random ports */
    public int basePort() {
        return basePort;
    }

    /** @return the redis-server to run, or empty to {@link RedisServerBinary#resolve() resolve} one at start */
    public Optional<RedisServerBinary> redis() {
        return Optional.ofNullable(redis);
    }

    /** @return {@code cluster-node-timeout} */
    public Duration nodeTimeout() {
        return nodeTimeout;
    }

    /** @return bound on start-up and on every wait for readiness */
    public Duration timeout() {
        return timeout;
    }

    /** @return where the cluster's temporary directory is created, or empty for {@code java.io.tmpdir} */
    public Optional<Path> parentDirectory() {
        return Optional.ofNullable(parentDirectory);
    }

    /** @return extra {@code redis.conf} directives, in insertion order, unmodifiable */
    public Map<String, String> config() {
        return config;
    }

    /**
     * @return the default user's password ({@code requirepass}, and {@code masterauth} for replicas), or empty for
     *         none; every client the cluster hands out authenticates with it
     */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** @return whether the nodes speak only TLS (clients, cluster bus, replication) */
    public boolean tls() {
        return tls;
    }

    /** The password is shown as {@code ***}. */
    @Override
    public String toString() {
        return "LocalClusterOptions{masters=" + masters + ", replicas=" + replicas + ", basePort=" + basePort
                + ", redis=" + redis + ", nodeTimeout=" + nodeTimeout + ", timeout=" + timeout
                + ", parentDirectory=" + parentDirectory + ", config=" + config
                + ", password=" + (password == null ? "none" : "***") + ", tls=" + tls + "}";
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private int masters = DEFAULT_MASTERS;
        private int replicas = DEFAULT_REPLICAS;
        private int basePort = DEFAULT_BASE_PORT;
        private RedisServerBinary redis;
        private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Path parentDirectory;
        private final Map<String, String> config = new LinkedHashMap<>();
        private String password;
        private boolean tls;

        private Builder() {
        }

        /**
         * Protects every node with a password for the default user: written into each node's {@code redis.conf} as
         * {@code requirepass} and {@code masterauth} (never on a command line, where {@code ps} would show it). The
         * sandbox's own connections and the clients it hands out authenticate with it.
         *
         * @param password non-empty, printable, no line breaks or control characters; {@code null} for none
         * @throws IllegalArgumentException if empty or it holds a control character
         */
        public Builder password(String password) {
            Checks.requireArgument(password == null || (!password.isEmpty()
                    && password.chars().noneMatch(Character::isISOControl)),
                    "password must be non-empty and hold no control characters");
            this.password = password;
            return this;
        }

        /**
         * Starts TLS-only nodes: {@code port 0}, {@code tls-port}, {@code tls-cluster yes}, {@code tls-replication yes},
         * with a self-signed certificate for {@code 127.0.0.1} generated with the JDK's {@code keytool} into the
         * cluster's directory ({@link LocalCluster#tlsCertificate()}). The redis-server must be built with TLS;
         * starting fails with {@link SandboxErrorCode#TLS_UNSUPPORTED} otherwise.
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * @param masters number of masters, 1-1000
         * @throws IllegalArgumentException if out of range
         */
        public Builder masters(int masters) {
            Checks.requireArgument(masters >= 1 && masters <= 1000, "masters must be 1-1000, got %d", masters);
            this.masters = masters;
            return this;
        }

        /**
         * @param replicas replicas per master, 0-10
         * @throws IllegalArgumentException if out of range
         */
        public Builder replicas(int replicas) {
            Checks.requireArgument(replicas >= 0 && replicas <= 10, "replicas must be 0-10, got %d", replicas);
            this.replicas = replicas;
            return this;
        }

        /**
         * Fixed ports: node {@code i} listens on {@code basePort + i} (and its bus on that + 10000). 0, the
         * default, picks free ports instead.
         *
         * @throws IllegalArgumentException if not 0 and not 1-{@value PortAllocator#MAX_PORT}
         */
        public Builder basePort(int basePort) {
            Checks.requireArgument(basePort == 0 || (basePort >= 1 && basePort <= PortAllocator.MAX_PORT),
                    "basePort must be 0 (pick free ports) or 1-%d so that port + %d is a valid bus port, got %d",
                    PortAllocator.MAX_PORT, PortAllocator.BUS_PORT_OFFSET, basePort);
            this.basePort = basePort;
            return this;
        }

        /**
         * @param redis the redis-server to run; without this one is {@link RedisServerBinary#resolve() resolved}
         * @throws NullPointerException if null
         */
        public Builder redis(RedisServerBinary redis) {
            this.redis = Objects.requireNonNull(redis, "redis");
            return this;
        }

        /**
         * @param nodeTimeout {@code cluster-node-timeout}, 100 ms to 10 min
         * @throws IllegalArgumentException if out of range
         */
        public Builder nodeTimeout(Duration nodeTimeout) {
            Checks.requireArgument(nodeTimeout != null && nodeTimeout.toMillis() >= 100
                    && nodeTimeout.compareTo(Duration.ofMinutes(10)) <= 0,
                    "nodeTimeout must be 100 ms to 10 min, got %s", nodeTimeout);
            this.nodeTimeout = nodeTimeout;
            return this;
        }

        /**
         * @param timeout bound on start-up and on every wait for readiness, at least 1 s
         * @throws IllegalArgumentException if shorter than 1 s
         */
        public Builder timeout(Duration timeout) {
            Checks.requireArgument(timeout != null && timeout.compareTo(Duration.ofSeconds(1)) >= 0,
                    "timeout must be at least 1 s, got %s", timeout);
            this.timeout = timeout;
            return this;
        }

        /**
         * @param parentDirectory where the cluster's temporary directory is created
         * @throws NullPointerException if null
         */
        public Builder parentDirectory(Path parentDirectory) {
            this.parentDirectory = Objects.requireNonNull(parentDirectory, "parentDirectory");
            return this;
        }

        /**
         * Adds or replaces a {@code redis.conf} directive of every node, e.g. {@code config("appendonly", "yes")}.
         * The value is written as given, so quote it as redis.conf expects ({@code "\"\""} for an empty string).
         *
         * @throws IllegalArgumentException if the name is not one word, the value has a line break, or the
         *                                  directive is one the sandbox manages ({@code port}, {@code bind},
         *                                  {@code dir}, {@code cluster-enabled}, ...)
         * @throws NullPointerException if an argument is null
         */
        public Builder config(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            String key = name.trim().toLowerCase(Locale.ROOT);
            // Render once to validate now rather than at start.
            NodeConfig.render(1, Path.of("."), DEFAULT_NODE_TIMEOUT, Map.of(key, value));
            config.put(key, value);
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if a fixed base port leaves no room for every node's bus port
         */
        public LocalClusterOptions build() {
            int last = basePort + masters * (1 + replicas) - 1;
            Checks.requireArgument(basePort == 0 || last <= PortAllocator.MAX_PORT,
                    "basePort %d is too high for %d nodes: port %d would need bus port %d", basePort,
                    masters * (1 + replicas), last, last + PortAllocator.BUS_PORT_OFFSET);
            return new LocalClusterOptions(this);
        }

        /**
         * Builds the options and starts a cluster with them; same as {@code LocalCluster.start(build())}.
         *
         * @throws IllegalArgumentException see {@link #build()}
         * @throws SandboxException see {@link LocalCluster#start(LocalClusterOptions)}
         */
        public LocalCluster start() {
            return LocalCluster.start(build());
        }
    }
}
