package io.reslot.sandbox;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.reslot.sandbox.ClusterNode.Role;
import io.reslot.sandbox.ClusterNode.State;
import io.reslot.sandbox.internal.Checks;
import io.reslot.sandbox.internal.Executables;
import io.reslot.sandbox.internal.NodeConfig;
import io.reslot.sandbox.internal.NodeEntry;
import io.reslot.sandbox.internal.PortAllocator;
import io.reslot.sandbox.internal.Readiness;
import io.reslot.sandbox.internal.SandboxFiles;
import io.reslot.sandbox.internal.Signals;
import io.reslot.sandbox.internal.SlotRanges;
import io.reslot.sandbox.internal.TlsCertificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A throwaway Redis Cluster of local {@code redis-server} processes.
 *
 * <p>{@link #start(LocalClusterOptions)} starts {@code masters * (1 + replicas)} nodes on {@code 127.0.0.1}, each
 * with its own directory ({@code redis.conf}, {@code nodes.conf}, {@code redis.log}) under one new temporary
 * directory; splits the 16384 slots evenly between the masters ({@code CLUSTER ADDSLOTSRANGE} on Redis 7,
 * {@code ADDSLOTS} on 6.2); joins all nodes with {@code CLUSTER MEET}; attaches replicas with
 * {@code CLUSTER REPLICATE}; and returns once the cluster is <em>ready</em>:
 * <ul>
 *   <li>every running node reports {@code cluster_state:ok};</li>
 *   <li>every running node knows every other running node and flags none of them {@code fail}, {@code fail?},
 *       {@code handshake} or {@code noaddr};</li>
 *   <li>all running nodes report the same roles, masters and slot owners in {@code CLUSTER NODES}, and all 16384
 *       slots are owned by running masters;</li>
 *   <li>every running replica of a running master has {@code master_link_status:up}.</li>
 * </ul>
 * Every wait is bounded by {@link LocalClusterOptions#timeout()}; running out of it throws a
 * {@link SandboxException} that names the node that was not ready and why.
 *
 * <p>{@link #close()} kills every process this cluster started (and no other), closes the Lettuce clients it
 * handed out and deletes the temporary directory. A JVM shutdown hook kills the processes and deletes the
 * directory too if {@code close()} is never called; nothing protects against the JVM itself being killed with
 * SIGKILL. {@link #detach()} instead hands the running processes and the directory over to the caller, for a
 * cluster that outlives the JVM.
 *
 * <p>Methods are thread-safe; operations that change the cluster are serialised.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder().masters(3).replicas(1).start()) {
 *     RedisClusterClient client = cluster.clusterClient();
 *     ...
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PROCESS_EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_LINES = 25;

    private final LocalClusterOptions options;
    private final RedisServerBinary redis;
    private final Path directory;
    private final NodeConfig.Security security;
    private final List<ClusterNode> nodes = new CopyOnWriteArrayList<>();
    /** Every process this cluster started, live or not; the only processes it ever signals. */
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Map<ClusterNode, StatefulRedisConnection<String, String>> adminConnections =
            new ConcurrentHashMap<>();
    private final ClientResources resources;
    private final RedisClient adminClient;
    private final Thread shutdownHook;
    private RedisClient nodeClient;
    private RedisClusterClient clusterClient;
    private volatile boolean closed;

    private LocalCluster(LocalClusterOptions options, RedisServerBinary redis, Path directory,
                         NodeConfig.Security security) {
        this.options = options;
        this.redis = redis;
        this.directory = directory;
        this.security = security;
        this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        this.adminClient = RedisClient.create(resources);
        adminClient.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .protocolVersion(ProtocolVersion.RESP2)
                .socketOptions(SocketOptions.builder().connectTimeout(ADMIN_TIMEOUT).build())
                .sslOptions(sslOptions())
                .build());
        this.shutdownHook = new Thread(this::destroyProcessesAndDirectory, "reslot-sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** @return a builder of {@link LocalClusterOptions} whose {@code start()} starts a cluster */
    public static LocalClusterOptions.Builder builder() {
        return LocalClusterOptions.builder();
    }

    /**
     * Starts a cluster with the {@link LocalClusterOptions#defaults() default options}.
     *
     * @throws SandboxException see {@link #start(LocalClusterOptions)}
     */
    public static LocalCluster start() {
        return start(LocalClusterOptions.defaults());
    }

    /**
     * Starts a cluster and waits until it is ready (see the class comment). On failure, everything started so
     * far is stopped and the temporary directory deleted before the exception is thrown; the message of a node
     * that failed to start ends with the tail of its log.
     *
     * @param options what to start
     * @return the ready cluster; the caller must {@link #close()} it
     * @throws NullPointerException if {@code options} is null
     * @throws SandboxException with {@link SandboxErrorCode#BINARY_NOT_FOUND} (or another binary code) if no
     *                          redis-server is usable, {@link SandboxErrorCode#PORT_IN_USE} or
     *                          {@link SandboxErrorCode#NO_FREE_PORT} if ports are taken,
     *                          {@link SandboxErrorCode#NODE_START_FAILED} if a node exits or does not answer,
     *                          {@link SandboxErrorCode#COMMAND_FAILED} if a cluster command fails,
     *                          {@link SandboxErrorCode#CLUSTER_NOT_READY} if it is not ready within the timeout,
     *                          {@link SandboxErrorCode#IO_ERROR} if the directories cannot be created
     */
    public static LocalCluster start(LocalClusterOptions options) {
        RedisServerBinary redis = options.redis().orElseGet(RedisServerBinary::resolve);
        Path parent = options.parentDirectory().orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir")));
        Path directory;
        try {
            Files.createDirectories(parent);
            directory = Files.createTempDirectory(parent, "reslot-sandbox-");
        } catch (IOException e) {
            throw new SandboxException(SandboxErrorCode.IO_ERROR, "cannot create a directory in " + parent + ": " + e,
                    e);
        }
        TlsCertificates tls = null;
        if (options.tls()) {
            try {
                tls = TlsCertificates.generate(directory.resolve("tls"));
            } catch (IOException e) {
                try {
                    SandboxFiles.deleteTree(directory);
                } catch (IOException | UncheckedIOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw new SandboxException(SandboxErrorCode.TLS_UNSUPPORTED, "cannot generate the TLS certificate of"
                        + " a TLS cluster: " + e.getMessage(), e);
            }
        }
        LocalCluster cluster = new LocalCluster(options, redis, directory,
                new NodeConfig.Security(options.password().orElse(null), tls));
        try {
            cluster.bootstrap();
            return cluster;
        } catch (RuntimeException | Error e) {
            try {
                cluster.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** @return the options this cluster was started with */
    public LocalClusterOptions options() {
        return options;
    }

    /** @return the redis-server every node runs */
    public RedisServerBinary redis() {
        return redis;
    }

    /** @return the temporary directory holding one directory per node; deleted by {@link #close()} */
    public Path directory() {
        return directory;
    }

    /**
     * @return the PEM certificate a client of this TLS cluster must trust (every node presents it), or empty if the
     *         cluster does not use TLS; deleted by {@link #close()}
     */
    public Optional<Path> tlsCertificate() {
        return Optional.ofNullable(security.tls()).map(TlsCertificates::certificate);
    }

    /** @return every node ever started, in start order (masters first, then replicas, then added masters) */
    public List<ClusterNode> nodes() {
        return List.copyOf(nodes);
    }

    /** @return nodes whose last reported role is master, in start order, including killed ones */
    public List<ClusterNode> masters() {
        return nodes.stream().filter(ClusterNode::isMaster).collect(Collectors.toUnmodifiableList());
    }

    /** @return nodes whose last reported role is replica, in start order, including killed ones */
    public List<ClusterNode> replicas() {
        return nodes.stream().filter(n -> !n.isMaster()).collect(Collectors.toUnmodifiableList());
    }

    /**
     * @return the nodes last reported as replicas of {@code master}
     * @throws IllegalArgumentException if {@code master} is not a node of this cluster
     */
    public List<ClusterNode> replicasOf(ClusterNode master) {
        requireOwned(master);
        return nodes.stream().filter(n -> n.masterId().filter(master.nodeId()::equals).isPresent())
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * @return the URI of the first running master, to seed a cluster client with
     * @throws IllegalStateException if no master is running
     */
    public RedisURI seedUri() {
        return nodes.stream().filter(n -> n.isMaster() && n.state() == State.RUNNING).findFirst()
                .map(ClusterNode::uri)
                .orElseThrow(() -> new IllegalStateException("no master of the cluster in " + directory
                        + " is running"));
    }

    /**
     * A Lettuce cluster client seeded with the running nodes, with Lettuce's default options (which, since
     * Lettuce 7, refresh the topology on every adaptive trigger, so the client follows failovers). Created on
     * first call and shared; closed by {@link #close()}.
     *
     * @throws IllegalStateException if the cluster is closed
     */
    public synchronized RedisClusterClient clusterClient() {
        requireOpen();
        if (clusterClient == null) {
            List<RedisURI> seeds = nodes.stream().filter(n -> n.state() == State.RUNNING).map(ClusterNode::uri)
                    .collect(Collectors.toList());
            clusterClient = RedisClusterClient.create(resources, seeds);
            if (security.tls() != null) {
                clusterClient.setOptions(ClusterClientOptions.builder().sslOptions(sslOptions()).build());
            }
        }
        return clusterClient;
    }

    /**
     * Opens a plain (non-cluster) connection to one node, e.g. to send {@code CLUSTER} commands to it. The caller
     * may close it; {@link #close()} closes any still open.
     *
     * @throws IllegalArgumentException if {@code node} is not a node of this cluster
     * @throws IllegalStateException    if the cluster is closed
     * @throws io.lettuce.core.RedisConnectionException if the node does not accept the connection
     */
    public synchronized StatefulRedisConnection<String, String> connect(ClusterNode node) {
        requireOwned(node);
        requireOpen();
        if (nodeClient == null) {
            nodeClient = RedisClient.create(resources);
            nodeClient.setOptions(ClientOptions.builder().sslOptions(sslOptions()).build());
        }
        return nodeClient.connect(node.uri());
    }

    /**
     * Starts a new master, joins it to the cluster with {@code CLUSTER MEET} and waits until the cluster is ready
     * again. It owns no slots. With a fixed base port it gets the port after the last node's.
     *
     * @return the new node
     * @throws IllegalStateException if the cluster is closed or no node is running
     * @throws SandboxException      as for {@link #start(LocalClusterOptions)}
     */
    public synchronized ClusterNode addMaster() {
        requireOpen();
        long deadline = deadline(options.timeout());
        List<ClusterNode> running = nodes.stream().filter(n -> n.state() == State.RUNNING)
                .collect(Collectors.toList());
        Checks.requireState(!running.isEmpty(), "no node of the cluster in %s is running", directory);
        ClusterNode node = launch(nodes.size(), Role.MASTER, deadline);
        nodes.add(node);
        node.nodeId(command(node, "CLUSTER MYID", RedisCommands::clusterMyId));
        for (ClusterNode other : running) {
            command(node, "CLUSTER MEET " + other.address(), c -> c.clusterMeet(other.host(), other.port()));
        }
        awaitReady(deadline, options.timeout());
        return node;
    }

    /**
     * Kills a node's process with SIGKILL and waits for it to exit. The cluster is not waited for: other nodes
     * flag the node as failing after {@link LocalClusterOptions#nodeTimeout()}, and a replica of a killed master
     * takes over; call {@link #awaitReady()} to wait for that.
     *
     * @throws IllegalArgumentException if {@code node} is not a node of this cluster
     * @throws IllegalStateException    if the cluster is closed or the node is not running or paused
     * @throws SandboxException         {@link SandboxErrorCode#SIGNAL_FAILED} if it does not exit within 10 s
     */
    public synchronized void kill(ClusterNode node) {
        requireOwned(node);
        requireOpen();
        Checks.requireState(node.state() == State.RUNNING || node.state() == State.PAUSED,
                "%s is %s; only a running or paused node can be killed", node.address(), node.state());
        closeAdmin(node);
        Process process = node.process();
        process.destroyForcibly();
        awaitExit(process, node.address());
        node.state(State.KILLED);
    }

    /**
     * Freezes a node with SIGSTOP: it keeps its sockets but answers nothing, as a node stuck in a long command or
     * a stalled VM would. Paused longer than the node timeout, it is flagged as failing (and a master is replaced
     * by a replica).
     *
     * @throws IllegalArgumentException if {@code node} is not a node of this cluster
     * @throws IllegalStateException    if the cluster is closed or the node is not running
     * @throws SandboxException         {@link SandboxErrorCode#SIGNAL_FAILED} if {@code kill -STOP} fails
     */
    public synchronized void pause(ClusterNode node) {
        requireOwned(node);
        requireOpen();
        Checks.requireState(node.state() == State.RUNNING, "%s is %s; only a running node can be paused",
                node.address(), node.state());
        Signals.stop(node.process());
        node.state(State.PAUSED);
    }

    /**
     * Lets a paused node run again with SIGCONT. Does not wait for the cluster; see {@link #awaitReady()}.
     *
     * @throws IllegalArgumentException if {@code node} is not a node of this cluster
     * @throws IllegalStateException    if the cluster is closed or the node is not paused
     * @throws SandboxException         {@link SandboxErrorCode#SIGNAL_FAILED} if {@code kill -CONT} fails
     */
    public synchronized void resume(ClusterNode node) {
        requireOwned(node);
        requireOpen();
        Checks.requireState(node.state() == State.PAUSED, "%s is %s; only a paused node can be resumed",
                node.address(), node.state());
        Signals.resume(node.process());
        node.state(State.RUNNING);
    }

    /**
     * Starts a killed node again on its old port with its old {@code nodes.conf}, so it rejoins under the same
     * node id, and waits until the cluster is ready again. A master that was replaced by a replica while it was
     * down comes back as that replica's replica.
     *
     * @throws IllegalArgumentException if {@code node} is not a node of this cluster
     * @throws IllegalStateException    if the cluster is closed or the node is not killed
     * @throws SandboxException         {@link SandboxErrorCode#PORT_IN_USE} if another process took its port
     *                                  meanwhile, {@link SandboxErrorCode#NODE_START_FAILED} or
     *                                  {@link SandboxErrorCode#CLUSTER_NOT_READY} as for start
     */
    public synchronized void restart(ClusterNode node) {
        requireOwned(node);
        requireOpen();
        Checks.requireState(node.state() == State.KILLED, "%s is %s; only a killed node can be restarted",
                node.address(), node.state());
        long deadline = deadline(options.timeout());
        if (!PortAllocator.isBindable(node.port())) {
            throw portTaken(node);
        }
        try {
            startProcess(node, deadline);
        } catch (PortConflict e) {
            throw portTaken(node);
        }
        awaitReady(deadline, options.timeout());
    }

    /**
     * Waits, at most {@link LocalClusterOptions#timeout()}, until the cluster is ready as defined in the class
     * comment, considering running nodes only, and then refreshes every node's {@link ClusterNode#role() role}.
     *
     * @throws IllegalStateException if the cluster is closed
     * @throws SandboxException      {@link SandboxErrorCode#CLUSTER_NOT_READY} naming a node that is not ready
     *                               and why, or {@link SandboxErrorCode#NODE_START_FAILED} if a node's process
     *                               died on its own
     */
    public void awaitReady() {
        awaitReady(options.timeout());
    }

    /**
     * As {@link #awaitReady()}, with another bound.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException    if the cluster is closed
     * @throws SandboxException         as for {@link #awaitReady()}
     */
    public synchronized void awaitReady(Duration timeout) {
        Checks.requireArgument(!timeout.isNegative(), "timeout must not be negative, got %s", timeout);
        requireOpen();
        awaitReady(deadline(timeout), timeout);
    }

    /** @return whether {@link #close()} or {@link #detach()} was called */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Lets the processes outlive this object and this JVM: closes the Lettuce clients handed out and removes the
     * shutdown hook, but stops no process and deletes no file. From then on the caller owns the processes (their
     * pids are {@link ClusterNode#pid()} of {@link #nodes()}) and the {@link #directory() directory}, and must stop
     * and delete them itself; {@code reslot sandbox down} does that for {@code reslot sandbox up}.
     *
     * <p>Afterwards the cluster is closed to every operation ({@link #isClosed()} is true and {@link #close()} does
     * nothing), while {@link #options()}, {@link #redis()}, {@link #directory()} and {@link #nodes()} still describe
     * it as it was when detached.
     *
     * @throws IllegalStateException if the cluster is closed or detached already
     */
    public synchronized void detach() {
        requireOpen();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the hook runs already: too late, the processes are being killed
            throw new IllegalStateException("cannot detach the cluster in " + directory + ": the JVM is exiting", e);
        }
        closed = true;
        shutdownClients();
        for (ClusterNode node : nodes) {
            PortAllocator.release(node.port());
        }
    }

    /**
     * Closes the Lettuce clients handed out, kills (SIGKILL) every process this cluster started and waits for
     * them to exit, and deletes the temporary directory. Calling it again does nothing.
     *
     * @throws SandboxException {@link SandboxErrorCode#IO_ERROR} if the directory could not be deleted, or
     *                          {@link SandboxErrorCode#SIGNAL_FAILED} if a process did not exit; everything
     *                          else is still attempted first
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        shutdownClients();
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                awaitExit(process, "pid " + process.pid());
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (ClusterNode node : nodes) {
            node.state(State.CLOSED);
            PortAllocator.release(node.port());
        }
        try {
            SandboxFiles.deleteTree(directory);
        } catch (IOException e) {
            failures.add(new SandboxException(SandboxErrorCode.IO_ERROR, "cannot delete " + directory + ": " + e,
                    e));
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already; the hook finds nothing left to do
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    @Override
    public String toString() {
        return "LocalCluster{" + redis + ", " + directory + ", nodes=" + nodes + "}";
    }

    // ---- start-up ---------------------------------------------------------------------------------------------

    private void bootstrap() {
        long deadline = deadline(options.timeout());
        int masters = options.masters();
        for (int i = 0; i < options.nodeCount(); i++) {
            nodes.add(launch(i, i < masters ? Role.MASTER : Role.REPLICA, deadline));
        }
        for (ClusterNode node : nodes) {
            node.nodeId(command(node, "CLUSTER MYID", RedisCommands::clusterMyId));
        }
        for (int m = 0; m < masters; m++) {
            addSlots(nodes.get(m), SlotRanges.range(m, masters));
        }
        // Distinct epochs up front, as redis-cli does, so that no epoch collision has to be resolved later.
        // Must happen before MEET: a node accepts SET-CONFIG-EPOCH only while it knows no other node.
        for (ClusterNode node : nodes) {
            long epoch = node.index() + 1;
            command(node, "CLUSTER SET-CONFIG-EPOCH " + epoch, c -> c.clusterSetConfigEpoch(epoch));
        }
        // Every pair meets directly rather than all through one node: the nodes then learn of each other (and of
        // each other's slots) from their own handshakes instead of gossip, which takes seconds.
        for (int i = 0; i < nodes.size(); i++) {
            ClusterNode from = nodes.get(i);
            for (ClusterNode to : nodes.subList(i + 1, nodes.size())) {
                command(from, "CLUSTER MEET " + to.address(), c -> c.clusterMeet(to.host(), to.port()));
            }
        }
        // A replica can only REPLICATE a master it knows.
        await(deadline, options.timeout(), "joined", () -> Readiness.joinProblem(reports()));
        for (ClusterNode replica : nodes.subList(masters, nodes.size())) {
            ClusterNode master = nodes.get((replica.index() - masters) / options.replicas());
            command(replica, "CLUSTER REPLICATE " + master.nodeId(), c -> c.clusterReplicate(master.nodeId()));
            replica.placement(Role.REPLICA, master.nodeId());
        }
        awaitReady(deadline, options.timeout());
    }

    @SuppressWarnings("unchecked")
    private void addSlots(ClusterNode master, int[] range) {
        if (redis.isAtLeast(7, 0)) {
            command(master, "CLUSTER ADDSLOTSRANGE " + range[0] + " " + range[1],
                    c -> c.clusterAddSlotsRange(Range.create(range[0], range[1])));
        } else {
            int[] slots = new int[range[1] - range[0] + 1];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = range[0] + i;
            }
            command(master, "CLUSTER ADDSLOTS " + range[0] + ".." + range[1], c -> c.clusterAddSlots(slots));
        }
    }

    /** Starts node {@code index}, retrying with other ports if an automatic port was taken meanwhile. */
    private ClusterNode launch(int index, Role role, long deadline) {
        Path nodeDirectory = directory.resolve("node-" + index);
        try {
            Files.createDirectories(nodeDirectory);
        } catch (IOException e) {
            throw new SandboxException(SandboxErrorCode.IO_ERROR, "cannot create " + nodeDirectory + ": " + e, e);
        }
        boolean fixed = options.basePort() != 0;
        for (int attempt = 1; ; attempt++) {
            int port;
            if (fixed) {
                port = options.basePort() + index;
                PortAllocator.reserve(port);
            } else {
                port = PortAllocator.allocate();
            }
            ClusterNode node = new ClusterNode(index, port, nodeDirectory, role, security.tls() != null,
                    security.password());
            try {
                writeConfig(node);
                startProcess(node, deadline);
                return node;
            } catch (PortConflict e) {
                PortAllocator.release(port);
                if (fixed || attempt == PORT_ATTEMPTS) {
                    throw portTaken(node);
                }
            } catch (RuntimeException e) {
                PortAllocator.release(port);
                throw e;
            }
        }
    }

    private void writeConfig(ClusterNode node) {
        String config = NodeConfig.render(node.port(), node.directory(), options.nodeTimeout(), options.config(),
                security);
        try {
            Files.writeString(node.directory().resolve("redis.conf"), config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SandboxException(SandboxErrorCode.IO_ERROR, "cannot write the config of " + node.address()
                    + ": " + e, e);
        }
    }

    /** Starts the node's process and waits until it answers as itself (its pid, not some other server's). */
    private void startProcess(ClusterNode node, long deadline) {
        ProcessBuilder builder = new ProcessBuilder(redis.path().toString(),
                node.directory().resolve("redis.conf").toString())
                .directory(node.directory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.logFile().toFile()));
        Process process;
        try {
            process = Executables.start(builder);
        } catch (IOException e) {
            throw new SandboxException(SandboxErrorCode.NODE_START_FAILED, "cannot run " + redis.path() + " for "
                    + node.address() + ": " + e, e);
        }
        processes.add(process);
        node.started(process);
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // it never reads stdin anyway
        }
        String pid = Long.toString(process.pid());
        while (true) {
            if (!process.isAlive()) {
                String tail = SandboxFiles.tail(node.logFile(), LOG_LINES);
                if (tail.contains("Address already in use")) {
                    throw new PortConflict();
                }
                if (security.tls() != null && tail.contains("tls-") && tail.contains("Bad directive")) {
                    throw new SandboxException(SandboxErrorCode.TLS_UNSUPPORTED, redis + " was built without TLS"
                            + " (it does not know the tls-* directives); use a redis-server built with BUILD_TLS=yes"
                            + " (RESLOT_REDIS_SERVER)");
                }
                throw new SandboxException(SandboxErrorCode.NODE_START_FAILED, String.format(
                        "%s (%s) exited with code %d while starting; last lines of %s:%n%s", node.address(), redis,
                        process.exitValue(), node.logFile(), tail));
            }
            if (listening(node.port())) {
                try {
                    if (pid.equals(Readiness.field(admin(node).info("server"), "process_id"))) {
                        return;
                    }
                } catch (RuntimeException e) {
                    closeAdmin(node);
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SandboxException(SandboxErrorCode.NODE_START_FAILED, String.format(
                        "%s (%s, pid %s) did not answer within %s; last lines of %s:%n%s", node.address(), redis,
                        pid, options.timeout(), node.logFile(), SandboxFiles.tail(node.logFile(), LOG_LINES)));
            }
            sleep(20);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(PortAllocator.HOST, port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- readiness --------------------------------------------------------------------------------------------

    private void awaitReady(long deadline, Duration timeout) {
        AtomicReference<List<Readiness.Report>> last = new AtomicReference<>();
        await(deadline, timeout, "ready", () -> {
            List<Readiness.Report> reports = reports();
            last.set(reports);
            return Readiness.problem(reports);
        });
        Map<String, ClusterNode> byId = nodes.stream().collect(Collectors.toMap(ClusterNode::nodeId, n -> n));
        for (NodeEntry entry : NodeEntry.parseAll(last.get().get(0).clusterNodes())) {
            ClusterNode node = byId.get(entry.id());
            if (node != null) {
                node.placement(entry.isMaster() ? Role.MASTER : Role.REPLICA, entry.masterId());
            }
        }
    }

    /** Polls {@code problem} until it reports none, or fails with the last problem once the deadline passed. */
    private void await(long deadline, Duration timeout, String what, Supplier<Optional<String>> problem) {
        while (true) {
            requireAlive();
            String reason;
            try {
                Optional<String> found = problem.get();
                if (found.isEmpty()) {
                    return;
                }
                reason = found.get();
            } catch (RuntimeException e) {
                reason = e.getMessage();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SandboxException(SandboxErrorCode.CLUSTER_NOT_READY, String.format(
                        "cluster in %s not %s within %s: %s (node logs: %s/node-*/redis.log)", directory, what,
                        timeout, reason, directory));
            }
            sleep(50);
        }
    }

    /** What every running node says; a node that cannot be asked fails the whole call, naming the node. */
    private List<Readiness.Report> reports() {
        List<Readiness.Report> reports = new ArrayList<>();
        for (ClusterNode node : nodes) {
            if (node.state() != State.RUNNING) {
                continue;
            }
            try {
                RedisCommands<String, String> c = admin(node);
                reports.add(new Readiness.Report(node.address(), node.nodeId(), c.clusterInfo(), c.clusterNodes(),
                        c.info("replication")));
            } catch (RuntimeException e) {
                closeAdmin(node);
                throw new SandboxException(SandboxErrorCode.COMMAND_FAILED, "cannot query " + node.address() + ": "
                        + e.getMessage(), e);
            }
        }
        return reports;
    }

    /** A node that should run but whose process died on its own is a start failure, not something to wait for. */
    private void requireAlive() {
        for (ClusterNode node : nodes) {
            Process process = node.process();
            if (node.state() == State.RUNNING && !process.isAlive()) {
                throw new SandboxException(SandboxErrorCode.NODE_START_FAILED, String.format(
                        "%s (pid %d) exited with code %d; last lines of %s:%n%s", node.address(), process.pid(),
                        process.exitValue(), node.logFile(), SandboxFiles.tail(node.logFile(), LOG_LINES)));
            }
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private RedisCommands<String, String> admin(ClusterNode node) {
        StatefulRedisConnection<String, String> connection = adminConnections.get(node);
        if (connection == null || !connection.isOpen()) {
            if (connection != null) {
                connection.closeAsync();
            }
            RedisURI uri = node.uri();
            uri.setTimeout(ADMIN_TIMEOUT);
            connection = adminClient.connect(uri);
            adminConnections.put(node, connection);
        }
        return connection.sync();
    }

    /** What the sandbox's clients trust: the cluster's own certificate when it has one, else the JVM's defaults. */
    private SslOptions sslOptions() {
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
        if (security.tls() != null) {
            ssl.trustManager(security.tls().certificate().toFile());
        }
        return ssl.build();
    }

    private void closeAdmin(ClusterNode node) {
        StatefulRedisConnection<String, String> connection = adminConnections.remove(node);
        if (connection != null) {
            connection.closeAsync();
        }
    }

    private <T> T command(ClusterNode node, String description, Function<RedisCommands<String, String>, T> call) {
        try {
            return call.apply(admin(node));
        } catch (RuntimeException e) {
            throw new SandboxException(SandboxErrorCode.COMMAND_FAILED, description + " on " + node.address()
                    + " failed: " + e.getMessage(), e);
        }
    }

    private void awaitExit(Process process, String what) {
        try {
            if (!process.waitFor(PROCESS_EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SandboxException(SandboxErrorCode.SIGNAL_FAILED, what + " (pid " + process.pid()
                        + ") did not exit within " + PROCESS_EXIT_TIMEOUT + " of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException(SandboxErrorCode.SIGNAL_FAILED, "interrupted waiting for " + what
                    + " to exit", e);
        }
    }

    /** Closes every Lettuce client; trouble there is ignored, as it must not keep processes alive or files around. */
    private void shutdownClients() {
        adminConnections.clear();
        for (Runnable shutdown : List.<Runnable>of(
                () -> { if (clusterClient != null) clusterClient.shutdown(Duration.ZERO, ADMIN_TIMEOUT); },
                () -> { if (nodeClient != null) nodeClient.shutdown(Duration.ZERO, ADMIN_TIMEOUT); },
                () -> adminClient.shutdown(Duration.ZERO, ADMIN_TIMEOUT),
                () -> resources.shutdown(0, ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .awaitUninterruptibly(ADMIN_TIMEOUT.toMillis()))) {
            try {
                shutdown.run();
            } catch (RuntimeException e) {
                // Lettuce trouble must not keep the processes alive
            }
        }
    }

    /** The shutdown hook: no locks, no Lettuce, just the processes and the files. */
    private void destroyProcessesAndDirectory() {
        processes.forEach(Process::destroyForcibly);
        for (Process process : processes) {
            try {
                process.waitFor(PROCESS_EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            SandboxFiles.deleteTree(directory);
        } catch (IOException | UncheckedIOException e) {
            // nothing sensible to do while the JVM exits
        }
    }

    private void requireOwned(ClusterNode node) {
        Checks.requireArgument(node != null && nodes.contains(node), "%s is not a node of the cluster in %s", node,
                directory);
    }

    private void requireOpen() {
        Checks.requireState(!closed, "the cluster in %s is closed", directory);
    }

    private SandboxException portTaken(ClusterNode node) {
        return new SandboxException(SandboxErrorCode.PORT_IN_USE, String.format(
                "port %d or its cluster bus port %d on %s was taken by another process; %s", node.port(),
                node.busPort(), node.host(), options.basePort() != 0 ? "choose another base port"
                        : "gave up after " + PORT_ATTEMPTS + " ports"));
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException(SandboxErrorCode.CLUSTER_NOT_READY, "interrupted while waiting", e);
        }
    }

    /** redis-server could not bind its port: another process took it after the port was picked. */
    private static final class PortConflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortConflict() {
            super(null, null, false, false);
        }
    }
}
