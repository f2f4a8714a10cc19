package io.reslot.migrate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.reslot.migrate.internal.ClusterNodesParser;
import io.reslot.migrate.internal.RedisErrors;
import io.reslot.slot.KeySlot;

/**
 * Connections to every node of one cluster, found from seed nodes, and the cluster's {@link Topology}.
 *
 * <p>Each node gets one plain connection (binary keys and values, {@link ByteArrayCodec}); commands on it go to that
 * node only, never routed by slot, which is what {@code CLUSTER SETSLOT} and {@code MIGRATE} need. Connections are
 * opened on first use and closed by {@link #close()}. Thread-safe.
 *
 * <pre>{@code
 * try (ClusterAccess cluster = ClusterAccess.connect(AccessOptions.builder().seeds("10.0.0.1:7000").build())) {
 *     Topology topology = cluster.topology();
 * }
 * }</pre>
 */
public final class ClusterAccess implements AutoCloseable {

    private final AccessOptions options;
    private final RedisClient client;
    private final Map<String, StatefulRedisConnection<byte[], byte[]>> connections = new LinkedHashMap<>();
    /** The client of the slot-routed connections, {@link #metadata()} and {@link #keys()}. */
    private RedisClusterClient routedClient;
    private StatefulRedisClusterConnection<String, String> metadata;
    private StatefulRedisClusterConnection<byte[], byte[]> keys;

    private ClusterAccess(AccessOptions options) {
        this.options = options;
        this.client = RedisClient.create();
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(false)  // a node that went away is reported, not waited for
                .socketOptions(SocketOptions.builder().connectTimeout(options.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .sslOptions(sslOptions(options))
                .build());
    }

    /**
     * Connects to the first seed that answers and reads the topology once, so that an unreachable or non-cluster
     * seed list fails here.
     *
     * @throws MigrateException {@link MigrateErrorCode#UNREACHABLE} naming every seed tried if none answers,
     *     {@link MigrateErrorCode#AUTH} if the credentials are refused, {@link MigrateErrorCode#PROTOCOL} if the
     *     node is not in cluster mode
     */
    public static ClusterAccess connect(AccessOptions options) {
        ClusterAccess access = new ClusterAccess(options);
        try {
            access.topology();
            return access;
        } catch (RuntimeException e) {
            access.close();
            throw e;
        }
    }

    /** The options this was opened with. */
    public AccessOptions options() {
        return options;
    }

    /**
     * Reads {@code CLUSTER NODES} from the seeds and from every node they list, and from every node those list, and
     * merges the views. Nodes that do not answer are left out of {@link Topology#views()} (they still appear in
     * the nodes, as the others describe them).
     *
     * @throws MigrateException {@link MigrateErrorCode#UNREACHABLE} if no node answers, or as for
     *     {@link #connect(AccessOptions)}
     */
    public synchronized Topology topology() {
        Map<String, List<NodeInfo>> views = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> toAsk = new ArrayDeque<>(options.seeds());
        List<String> failures = new ArrayList<>();
        while (!toAsk.isEmpty()) {
            String address = toAsk.poll();
            if (!seen.add(address)) {
                continue;
            }
            List<NodeInfo> view;
            try {
                view = ClusterNodesParser.parse(clusterNodes(address));
            } catch (MigrateException e) {
                if (e.code() != MigrateErrorCode.UNREACHABLE) {
                    throw e;
                }
                failures.add(e.getMessage());
                continue;
            }
            views.put(address, view);
            for (NodeInfo node : view) {
                if (!node.host().isEmpty() && node.port() > 0 && !node.isIncomplete()) {
                    toAsk.add(node.address());
                }
            }
        }
        if (views.isEmpty()) {
            throw new MigrateException(MigrateErrorCode.UNREACHABLE, "no node answered: " + String.join("; ", failures)
                    + "; check the seed addresses (reslot -c HOST:PORT, or $RESLOT_CLUSTER) and"
                    + " that the nodes are up");
        }
        return Topology.of(views);
    }

    /**
     * The connection to {@code node}, opened on first use.
     *
     * @throws MigrateException {@link MigrateErrorCode#UNREACHABLE} or {@link MigrateErrorCode#AUTH} if it cannot be
     *     opened
     */
    public StatefulRedisConnection<byte[], byte[]> connection(NodeInfo node) {
        return connection(node.address());
    }

    /**
     * A new connection to {@code node} that only the caller uses, for command sequences that must not interleave with
     * other threads' commands ({@code ASKING} followed by the command it applies to). The caller closes it.
     *
     * @throws MigrateException {@link MigrateErrorCode#UNREACHABLE} or {@link MigrateErrorCode#AUTH} if it cannot be
     *     opened
     */
    public StatefulRedisConnection<byte[], byte[]> dedicated(NodeInfo node) {
        try {
            return client.connect(ByteArrayCodec.INSTANCE, uri(node.address()));
        } catch (RedisConnectionException e) {
            throw RedisErrors.classify(node.address(), e);
        }
    }

    /**
     * A slot-routed connection (following MOVED and ASK) for reslot's own records: jobs and the lock, all under the
     * {@code {reslot}} hash tag. Opened on first use from the masters of the current topology; closed by
     * {@link #close()}.
     *
     * @throws MigrateException {@link MigrateErrorCode#UNREACHABLE} or {@link MigrateErrorCode#AUTH} if it cannot be
     *     opened
     */
    public synchronized StatefulRedisClusterConnection<String, String> metadata() {
        if (metadata == null) {
            metadata = routed(StringCodec.UTF8);
        }
        return metadata;
    }

    /** The key {@link #awaitRecordsReplicated} writes; it expires by itself. */
    static final String RECORDS_MARKER = "{reslot}:replicated";

    /**
     * Waits, at most {@code timeoutMillis}, until a replica of the master serving reslot's own records (the
     * {@code {reslot}} slot) has everything written there so far; at once when that master has no replica. Replication
     * is asynchronous: a record its master acknowledged and then died with is lost, and a job or a migration's step
     * whose record is lost cannot be continued. Callers wait after the records a run must find again.
     *
     * <p>{@code WAIT} counts only the writes of its own connection, and the records were written on others; so a
     * marker key in that slot is written first, on the same connection as the {@code WAIT}, and waited for: it follows
     * the records in the replication stream. That connection is the node's shared one ({@link #connection}), whose
     * other commands queue behind the {@code WAIT}.
     *
     * @return whether a replica acknowledged (or none that is up was there to wait for); a failure to ask counts as
     *     not
     */
    public boolean awaitRecordsReplicated(Topology topology, long timeoutMillis) {
        String ownerId = topology.ownerOf(KeySlot.of(RECORDS_MARKER));
        if (ownerId == null) {
            return false; // served by no master: the writes before failed already
        }
        NodeInfo owner = topology.node(ownerId);
        if (topology.replicasOf(owner).stream().allMatch(NodeInfo::isFailing)) {
            return true; // none that could acknowledge: waiting would only delay the run
        }
        try {
            StatefulRedisConnection<byte[], byte[]> connection = connection(owner);
            connection.sync().set(RECORDS_MARKER.getBytes(StandardCharsets.UTF_8), new byte[0],
                    SetArgs.Builder.px(60_000));
            return connection.sync().waitForReplication(1, timeoutMillis) >= 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * A slot-routed connection (following MOVED and ASK) for the users' keys, with binary keys and values: commands
     * go to the node serving their key, pipelined per node. Opened on first use; closed by {@link #close()}.
     *
     * @throws MigrateException {@link MigrateErrorCode#UNREACHABLE} or {@link MigrateErrorCode#AUTH} if it cannot be
     *     opened
     */
    public synchronized StatefulRedisClusterConnection<byte[], byte[]> keys() {
        if (keys == null) {
            keys = routed(ByteArrayCodec.INSTANCE);
        }
        return keys;
    }

    private <K, V> StatefulRedisClusterConnection<K, V> routed(RedisCodec<K, V> codec) {
        List<RedisURI> seeds = new ArrayList<>();
        for (NodeInfo master : topology().masters()) {
            if (!master.isFailing() && !master.isIncomplete()) {
                seeds.add(uri(master.address()));
            }
        }
        if (seeds.isEmpty()) {
            throw new MigrateException(MigrateErrorCode.UNREACHABLE, "no master of the cluster is reachable");
        }
        if (routedClient == null) {
            routedClient = RedisClusterClient.create(seeds);
            routedClient.setOptions(ClusterClientOptions.builder()
                    .socketOptions(SocketOptions.builder().connectTimeout(options.connectTimeout()).build())
                    .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                    .sslOptions(sslOptions(options))
                    // slots move under reslot's own feet: learn the new owner on the first MOVED
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers().build())
                    .build());
        }
        try {
            return routedClient.connect(codec);
        } catch (RedisException e) {
            if (metadata == null && keys == null) {
                routedClient.shutdown();
                routedClient = null;
            }
            throw RedisErrors.classify(seeds.get(0).getHost() + ":" + seeds.get(0).getPort(), e);
        }
    }

    private String clusterNodes(String address) {
        try {
            return connection(address).sync().clusterNodes();
        } catch (RedisException e) {
            throw RedisErrors.classify(address, e);
        }
    }

    private synchronized StatefulRedisConnection<byte[], byte[]> connection(String address) {
        StatefulRedisConnection<byte[], byte[]> connection = connections.get(address);
        if (connection != null && connection.isOpen()) {
            return connection;
        }
        try {
            connection = client.connect(ByteArrayCodec.INSTANCE, uri(address));
        } catch (RedisConnectionException e) {
            throw RedisErrors.classify(address, e);
        }
        connections.put(address, connection);
        return connection;
    }

    /** What TLS connections trust: the PEM file of the options, else the JVM's trust store. */
    private static SslOptions sslOptions(AccessOptions options) {
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
        if (options.tlsCaFile() != null) {
            ssl.trustManager(options.tlsCaFile().toFile());
        }
        return ssl.build();
    }

    private RedisURI uri(String address) {
        AccessOptions.HostPort hostPort = AccessOptions.HostPort.parse(address);
        RedisURI.Builder uri = RedisURI.builder().withHost(hostPort.host()).withPort(hostPort.port())
                .withSsl(options.tls()).withTimeout(options.commandTimeout());
        char[] password = options.password();
        if (password != null) {
            uri = options.user() == null ? uri.withPassword(password) : uri.withAuthentication(options.user(), password);
        }
        return uri.build();
    }

    /** Closes every connection this opened. */
    @Override
    public synchronized void close() {
        connections.values().forEach(StatefulRedisConnection::close);
        connections.clear();
        if (metadata != null) {
            metadata.close();
            metadata = null;
        }
        if (keys != null) {
            keys.close();
            keys = null;
        }
        if (routedClient != null) {
            routedClient.shutdown();
            routedClient = null;
        }
        client.shutdown();
    }
}
