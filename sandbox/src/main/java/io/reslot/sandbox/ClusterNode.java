package io.reslot.sandbox;

import io.lettuce.core.RedisURI;
import io.reslot.sandbox.internal.PortAllocator;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One {@code redis-server} of a {@link LocalCluster}. Its address, id and directory never change, also across
 * {@link LocalCluster#restart(ClusterNode) restarts}; its {@link #role() role} is what the cluster reported the
 * last time {@code LocalCluster} waited for it to be ready, so after a failover it follows the cluster.
 * Thread-safe; created only by {@code LocalCluster}.
 */
public final class ClusterNode {
    /** The role of a node in the cluster. */
    public enum Role {
        /** Serves slots (or could: an added master starts with none). */
        MASTER,
        /** Replicates a master. */
        REPLICA
    }

    /** The state of the node's process, as the sandbox drove it. */
    public enum State {
        /** Running and answering. */
        RUNNING,
        /** Frozen with SIGSTOP; connections hang until {@link LocalCluster#resume(ClusterNode)}. */
        PAUSED,
        /** Killed with SIGKILL; can be {@link LocalCluster#restart(ClusterNode) restarted}. */
        KILLED,
        /** Stopped because its cluster was closed. */
        CLOSED
    }

    private final int index;
    private final int port;
    private final Path directory;
    private volatile String nodeId;
    private volatile Role role;
    private volatile String masterId;
    private volatile State state = State.RUNNING;
    private volatile Process process;
    private final boolean tls;
    private final String password;

    ClusterNode(int index, int port, Path directory, Role role, boolean tls, String password) {
        this.tls = tls;
        this.password = password;
        this.index = index;
        this.port = port;
        this.directory = directory;
        this.role = role;
    }

    /** @return position in {@link LocalCluster#nodes()}: start order, masters first */
    public int index() {
        return index;
    }

    /** @return always {@code 127.0.0.1}: nodes bind the loopback address only */
    public String host() {
        return PortAllocator.HOST;
    }

    /** @return client port */
    public int port() {
        return port;
    }

    /** @return cluster bus port, {@code port() + 10000} */
    public int busPort() {
        return port + PortAllocator.BUS_PORT_OFFSET;
    }

    /** @return {@code host:port} */
    public String address() {
        return host() + ":" + port;
    }

    /** @return a Lettuce URI of this node: TLS and the password when the cluster has them */
    public RedisURI uri() {
        RedisURI.Builder uri = RedisURI.builder().withHost(host()).withPort(port).withSsl(tls);
        return (password == null ? uri : uri.withPassword(password.toCharArray())).build();
    }

    /** @return the 40-character cluster node id */
    public String nodeId() {
        return nodeId;
    }

    /** @return role as last reported by the cluster */
    public Role role() {
        return role;
    }

    /** @return whether {@link #role()} is {@link Role#MASTER} */
    public boolean isMaster() {
        return role == Role.MASTER;
    }

    /** @return node id of the master this replica follows, empty for a master */
    public Optional<String> masterId() {
        return Optional.ofNullable(role == Role.REPLICA ? masterId : null);
    }

    /** @return state of the process */
    public State state() {
        return state;
    }

    /** @return pid of the node's current (or, once killed, last) process */
    public long pid() {
        return process.pid();
    }

    /** @return the node's directory: {@code redis.conf}, {@code nodes.conf} and the log {@code redis.log} */
    public Path directory() {
        return directory;
    }

    /** @return the log file the node's output goes to */
    public Path logFile() {
        return directory.resolve("redis.log");
    }

    @Override
    public String toString() {
        String id = nodeId;
        return "node " + index + " " + address() + " " + role.name().toLowerCase(java.util.Locale.ROOT)
                + (id == null ? "" : " " + id.substring(0, Math.min(8, id.length()))) + " " + state;
    }

    Process process() {
        return process;
    }

    void started(Process process) {
        this.process = process;
        this.state = State.RUNNING;
    }

    void state(State state) {
        this.state = state;
    }

    void nodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    void placement(Role role, String masterId) {
        this.role = role;
        this.masterId = masterId;
    }
}
