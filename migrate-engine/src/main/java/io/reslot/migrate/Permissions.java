package io.reslot.migrate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.reslot.migrate.internal.RedisErrors;

/**
 * The preflight check: before a command changes the cluster, it asks every master, with {@code ACL DRYRUN}, whether
 * the connected user may run each Redis command the operation will send, and refuses to start when one is missing.
 * Every cluster-changing entry point ({@link Jobs#run}, {@link Jobs#resume}, {@link ClusterFix#fix}, the rewriter's
 * {@code Retag.run}, the versioning's {@code migrate}, {@code baseline} and {@code repair}) calls
 * {@link #require(ClusterAccess, Operation...)} before it takes the lock, so a refusal leaves the cluster exactly as it
 * was.
 *
 * <p>A master that does not answer is skipped: what to do about it is the operation's decision (a job refuses an
 * unhealthy cluster; {@code fix} works around it). {@code ACL DRYRUN} exists from Redis 7.0. A master running an older server (6.2) is skipped: the answer is
 * {@link Check#skipped()}, and a permission missing there shows up as a {@code NOPERM} error at its first use, which
 * stops the run resumable. A server that does not know {@code ACL DRYRUN} (renamed or disabled) is skipped the same
 * way. The check itself needs {@code acl|dryrun}; a user without it is refused, naming it.
 *
 * <p>Probes use sample keys: {@code {reslot}:...} for reslot's own records and {@value #SAMPLE_KEY} for the users'
 * keys, so a user whose key patterns exclude some of the users' keys can pass the check and still meet {@code NOPERM}
 * on those keys later.
 */
public final class Permissions {

    /** The user key the probes of commands on users' keys name. */
    public static final String SAMPLE_KEY = "reslot:preflight";

    /** What an operation does to the cluster, each with the Redis commands it sends. */
    public enum Operation {
        /** {@code reshard}, {@code move-slots}, {@code rebalance}, {@code drain}, {@code resume}: jobs and the mover. */
        MOVE,
        /** {@code fix}: closing open slots and covering uncovered ones. */
        FIX,
        /** {@code retag} in every mode. */
        RETAG,
        /** The versioning history: {@code baseline}, {@code repair}, and {@code migrate} with its steps. */
        HISTORY
    }

    /**
     * One Redis command as {@code ACL DRYRUN} is asked about it.
     *
     * @param name the command as ACL rules name it ({@code migrate}, {@code cluster|setslot})
     * @param args the whole command line of the probe, command name first
     */
    public record Probe(String name, List<String> args) {

        public Probe {
            args = List.copyOf(args);
        }

        static Probe of(String... args) {
            String name = args[0].toLowerCase(Locale.ROOT);
            if (args.length > 1 && (name.equals("cluster") || name.equals("memory") || name.equals("client")
                    || name.equals("script"))) {
                name += "|" + args[1].toLowerCase(Locale.ROOT);
            }
            return new Probe(name, Arrays.asList(args));
        }
    }

    /**
     * What the check found.
     *
     * @param checked the masters asked, {@code host:port}
     * @param skipped one line per master that could not be asked, saying why
     */
    public record Check(List<String> checked, List<String> skipped) {

        public Check {
            checked = List.copyOf(checked);
            skipped = List.copyOf(skipped);
        }
    }

    private static final String LOCK = "{reslot}:lock";
    private static final String JOB = "{reslot}:job:preflight";
    private static final String JOBS = "{reslot}:jobs";
    private static final String RETAG_STATE = "{reslot}:retag";
    private static final String HISTORY = "{reslot}:history";
    private static final String RANK = "{reslot}:history:rank";

    /** Every connection: the topology, and what Lettuce sends on its own. */
    private static final List<Probe> CONNECT = List.of(
            Probe.of("CLUSTER", "NODES"), Probe.of("CLUSTER", "MYID"), Probe.of("INFO"), Probe.of("PING"),
            Probe.of("CLIENT", "SETNAME", "reslot"));

    /** The lease lock: {@code SET NX PX}, renewal and release by script. */
    private static final List<Probe> LOCK_PROBES = List.of(
            Probe.of("SET", LOCK, "token", "NX", "PX", "30000"), Probe.of("GET", LOCK), Probe.of("PTTL", LOCK),
            Probe.of("PEXPIRE", LOCK, "30000"), Probe.of("DEL", LOCK), Probe.of("EVAL", "return 1", "1", LOCK),
            Probe.of("EVALSHA", "0000000000000000000000000000000000000000", "1", LOCK));

    /** Moving slots, as the mover and {@code fix} do it; {@code MIGRATE} runs the last two on the target. */
    private static final List<Probe> MOVER = List.of(
            Probe.of("CLUSTER", "SETSLOT", "0", "STABLE"), Probe.of("CLUSTER", "GETKEYSINSLOT", "0", "10"),
            Probe.of("CLUSTER", "COUNTKEYSINSLOT", "0"),
            Probe.of("MIGRATE", "127.0.0.1", "6379", "", "0", "5000", "KEYS", SAMPLE_KEY),
            Probe.of("RESTORE-ASKING", SAMPLE_KEY, "0", "payload"), Probe.of("SELECT", "0"), Probe.of("ASKING"),
            Probe.of("EXISTS", SAMPLE_KEY));

    private static final Map<Operation, List<Probe>> PROBES = new LinkedHashMap<>();

    static {
        PROBES.put(Operation.MOVE, concat(MOVER, List.of(
                // BUSYKEY: compare the two copies
                Probe.of("DUMP", SAMPLE_KEY), Probe.of("TYPE", SAMPLE_KEY), Probe.of("HGETALL", SAMPLE_KEY),
                Probe.of("SMEMBERS", SAMPLE_KEY),
                Probe.of("WAIT", "1", "1000"), Probe.of("MEMORY", "USAGE", SAMPLE_KEY),
                // the job record and its slot bitmaps, and the index of jobs
                Probe.of("HSET", JOB, "f", "v"), Probe.of("HGET", JOB, "f"), Probe.of("HDEL", JOB, "f"),
                Probe.of("HGETALL", JOB), Probe.of("SETBIT", JOB + ":done", "0", "1"), Probe.of("GET", JOB + ":done"),
                Probe.of("EXISTS", JOB), Probe.of("ZADD", JOBS, "1", "id"), Probe.of("ZREM", JOBS, "id"),
                Probe.of("ZREVRANGE", JOBS, "0", "-1"))));
        PROBES.put(Operation.FIX, concat(MOVER, List.of(
                Probe.of("CLUSTER", "ADDSLOTS", "0"), Probe.of("CLUSTER", "DELSLOTS", "0"),
                Probe.of("CLUSTER", "BUMPEPOCH"))));
        PROBES.put(Operation.RETAG, List.of(
                Probe.of("SCAN", "0", "MATCH", "*", "COUNT", "100"), Probe.of("DBSIZE"), Probe.of("TYPE", SAMPLE_KEY),
                Probe.of("EXISTS", SAMPLE_KEY), Probe.of("DUMP", SAMPLE_KEY), Probe.of("PEXPIRETIME", SAMPLE_KEY),
                Probe.of("PTTL", SAMPLE_KEY), Probe.of("TIME"),
                Probe.of("RESTORE", SAMPLE_KEY + ":{new}", "0", "payload", "ABSTTL"),
                Probe.of("RENAMENX", SAMPLE_KEY, SAMPLE_KEY + ":new"), Probe.of("RENAME", SAMPLE_KEY, SAMPLE_KEY + ":new"),
                Probe.of("DEL", SAMPLE_KEY), Probe.of("EVAL", "return 1", "1", SAMPLE_KEY),
                Probe.of("EVALSHA", "0000000000000000000000000000000000000000", "1", SAMPLE_KEY),
                Probe.of("HSET", RETAG_STATE, "f", "v"), Probe.of("HGETALL", RETAG_STATE), Probe.of("DEL", RETAG_STATE)));
        PROBES.put(Operation.HISTORY, List.of(
                Probe.of("HSET", HISTORY, "f", "v"), Probe.of("HGET", HISTORY, "f"), Probe.of("HDEL", HISTORY, "f"),
                Probe.of("HGETALL", HISTORY), Probe.of("INCR", RANK), Probe.of("GET", RANK), Probe.of("EXISTS", HISTORY),
                Probe.of("DEL", HISTORY), Probe.of("TYPE", HISTORY)));
    }

    private Permissions() {
    }

    /**
     * The probes of {@code operations}, in order and without repeats: what every connection sends, the lock, then
     * each operation's own.
     */
    public static List<Probe> probes(Set<Operation> operations) {
        Set<Probe> probes = new LinkedHashSet<>(CONNECT);
        probes.addAll(LOCK_PROBES);
        for (Operation operation : EnumSet.copyOf(operations)) {
            probes.addAll(PROBES.get(operation));
        }
        return List.copyOf(probes);
    }

    /**
     * The ACL command names of {@code operations} ({@code migrate}, {@code cluster|setslot}, ...), sorted, plus the
     * ones every connection needs before any check can run ({@code hello}, {@code auth}, {@code acl|dryrun}).
     */
    public static Set<String> commands(Set<Operation> operations) {
        Set<String> names = new java.util.TreeSet<>(List.of("hello", "auth", "acl|dryrun"));
        probes(operations).forEach(p -> names.add(p.name()));
        return Collections.unmodifiableSet(names);
    }

    /**
     * Asks every reachable master whether the connected user may run what {@code operations} need.
     *
     * @return the masters asked and those skipped (not answering, older than Redis 7.0, or without
     *     {@code ACL DRYRUN})
     * @throws MigrateException {@link MigrateErrorCode#PERMISSION} naming each missing command and the masters it is
     *     missing on, and saying that nothing was changed; {@link MigrateErrorCode#AUTH} if a master refuses the
     *     credentials; {@link MigrateErrorCode#UNREACHABLE} if a master stops answering during the check
     */
    public static Check require(ClusterAccess access, Operation... operations) {
        String user = access.options().user() == null ? "default" : access.options().user();
        List<Probe> probes = probes(EnumSet.copyOf(Arrays.asList(operations)));
        Map<String, List<String>> missing = new LinkedHashMap<>();
        List<String> checked = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (NodeInfo master : access.topology().masters()) {
            if (master.isFailing() || master.isIncomplete()) {
                continue;
            }
            String address = master.address();
            StatefulRedisConnection<byte[], byte[]> connection;
            String version;
            try {
                connection = access.connection(master);
                version = infoField(connection.sync().info("server"), "redis_version");
            } catch (RedisException | MigrateException e) {
                MigrateException classified = e instanceof MigrateException m ? m
                        : RedisErrors.classify(address, (RedisException) e);
                if (classified.code() != MigrateErrorCode.UNREACHABLE) {
                    throw classified;
                }
                // a master that is down is the operation's business (it refuses, or fix repairs around it)
                skipped.add(address + " did not answer");
                continue;
            }
            if (!supportsDryRun(version)) {
                skipped.add(address + " runs Redis " + version + ", which has no ACL DRYRUN (7.0+)");
                continue;
            }
            List<String> replies = dryRun(connection, address, user, probes);
            if (replies == null) {
                skipped.add(address + " does not know ACL DRYRUN (renamed or disabled)");
                continue;
            }
            checked.add(address);
            for (int i = 0; i < probes.size(); i++) {
                if (denied(replies.get(i))) {
                    missing.computeIfAbsent(probes.get(i).name(), k -> new ArrayList<>()).add(address);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new MigrateException(MigrateErrorCode.PERMISSION, refusal(user, missing, operations));
        }
        return new Check(checked, skipped);
    }

    /**
     * The refusal's message: each missing command and where, the ACL rule that grants them all, and that nothing was
     * changed.
     */
    static String refusal(String user, Map<String, List<String>> missing, Operation... operations) {
        StringBuilder message = new StringBuilder("user '").append(user).append("' lacks ");
        List<String> parts = new ArrayList<>();
        missing.forEach((command, nodes) -> parts.add("permission '" + command + "' on " + String.join(", ", nodes)));
        message.append(String.join("; ", parts));
        message.append(" (needed by ").append(String.join(", ",
                Arrays.stream(operations).map(o -> o.name().toLowerCase(Locale.ROOT)).toList())).append(")");
        message.append("; nothing was changed; grant it on every node: ACL SETUSER ").append(user);
        missing.keySet().forEach(command -> message.append(" +").append(command));
        return message.toString();
    }

    /** Whether a server of {@code version} ({@code 7.0.15}) has {@code ACL DRYRUN}. */
    static boolean supportsDryRun(String version) {
        try {
            return Integer.parseInt(version.split("\\.")[0]) >= 7;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether an {@code ACL DRYRUN} reply refuses: anything but {@code OK}. */
    static boolean denied(String reply) {
        return !"OK".equals(reply);
    }

    static String infoField(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "?";
    }

    /**
     * Sends every probe, pipelined, and returns the replies in order ({@code OK}, or the server's reason); {@code null}
     * when the server does not know {@code ACL DRYRUN}.
     */
    private static List<String> dryRun(StatefulRedisConnection<byte[], byte[]> connection, String address,
            String user, List<Probe> probes) {
        List<RedisFuture<String>> futures = new ArrayList<>(probes.size());
        for (Probe probe : probes) {
            CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).add("DRYRUN").add(user);
            probe.args().forEach(arg -> args.add(arg.getBytes(StandardCharsets.UTF_8)));
            futures.add(connection.async().dispatch(CommandType.ACL, new StatusOutput<>(ByteArrayCodec.INSTANCE),
                    args));
        }
        List<String> replies = new ArrayList<>(probes.size());
        for (RedisFuture<String> future : futures) {
            try {
                replies.add(future.get(connection.getTimeout().toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                String message = RedisErrors.rootMessage(e);
                if (message.startsWith("NOPERM")) {
                    throw new MigrateException(MigrateErrorCode.PERMISSION, "user '" + user
                            + "' lacks permission 'acl|dryrun' on " + address + ", which the check before any change"
                            + " needs; nothing was changed; grant it on every node: ACL SETUSER " + user
                            + " +acl|dryrun", e);
                }
                if (message.contains("unknown subcommand") || message.contains("unknown command")) {
                    return null;
                }
                if (e.getCause() instanceof RedisCommandExecutionException) {
                    replies.add(message); // e.g. a probe the server rejects: count it as not granted
                    continue;
                }
                throw RedisErrors.classify(address, e.getCause() instanceof RedisException re ? re
                        : new RedisException(message, e));
            } catch (TimeoutException e) {
                throw new MigrateException(MigrateErrorCode.UNREACHABLE, address + " did not answer ACL DRYRUN within "
                        + connection.getTimeout(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted during the permission check", e);
            }
        }
        return replies;
    }

    private static List<Probe> concat(List<Probe> a, List<Probe> b) {
        List<Probe> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
