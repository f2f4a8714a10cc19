package io.reslot.migrate.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * The cluster-wide lock that keeps two reslot runs from changing one cluster at once: the string key {@value #KEY}
 * in the cluster itself, set with a lease ({@code SET NX PX}) that a heartbeat renews every third of the lease.
 *
 * <p>The key's value is JSON naming the holder: a random owner token, {@code user@host}, process id, purpose and
 * start time. Renewal ({@code PEXPIRE}) and release ({@code DEL}) are Lua scripts that act only while the value is
 * still this holder's, so a run never extends or deletes another run's lock. Expiry is decided by the server's clock
 * alone: a run that crashed stops renewing and its lock is free for the next run once the lease runs out; no client
 * compares its clock with anyone's.
 *
 * <p>Every command names the key in {@code KEYS}, so a slot-routed connection follows {@code ASK} and {@code MOVED}
 * while the {@code {reslot}} slot itself is being moved.
 *
 * <p><b>When the lock counts as lost.</b> {@link #isHeld()} becomes false, for good, when
 * <ul>
 *   <li>a renewal finds the key gone or holding another value (deleted, overwritten, or expired and taken), or</li>
 *   <li>no renewal has been confirmed for a whole lease, measured on this process's monotonic clock from the moment
 *       the last confirmed renewal was <em>sent</em>. The server set that expiry when it ran the command, which is
 *       no earlier than the send, so by then the server may have let the key expire and given the lock to another
 *       run. This measures an elapsed time locally; it never compares a client timestamp with the server's.</li>
 * </ul>
 * A renewal that fails (timeout, connection reset, a node briefly unreachable) is only noted; the next tick tries
 * again, and the lock stays held as long as some renewal is confirmed within each lease. Renewals are sent without
 * waiting for the previous one, so a node that hangs cannot stall the heartbeat past the lease.
 *
 * <p><b>Re-entrant for one thread and one connection.</b> A versioned migration holds the lock for its whole run
 * while each of its steps (a job, a retag) takes the lock itself, as it does when it runs on its own. So
 * {@link #acquire} called again by the thread that holds the lock, with the same {@code metadata} connection, does not
 * ask the cluster: it returns a nested handle on the same lock, whose {@link #checkHeld()} and {@link #isHeld()}
 * answer for the outer one and whose {@link #close()} does not release it. Only the outer handle's close releases.
 * Any other thread, or another connection (another process, another {@code ClusterAccess}), is refused as before.
 *
 * <p>Thread-safe. Callers that change the cluster call {@link #checkHeld()} before each change.
 */
public final class LeaseLock implements AutoCloseable {

    /** The lock's key. */
    public static final String KEY = "{reslot}:lock";
    /** The usual lease: a crashed run's lock is free again at most this long after its last renewal. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /** The shortest lease accepted. */
    public static final Duration MIN_LEASE = Duration.ofMillis(100);

    // SET NX PX; when the key is taken, read who holds it in the same atomic step, so the answer cannot be a key
    // that expired in between.
    private static final String ACQUIRE = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then"
            + " return {1} end"
            + " return {0, redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}";
    private static final String RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then"
            + " return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then"
            + " return redis.call('DEL', KEYS[1]) end return 0";
    private static final String READ = "local v = redis.call('GET', KEYS[1])"
            + " if not v then return {} end return {v, redis.call('PTTL', KEYS[1])}";
    private static final String[] KEYS = {KEY};
    private static final String WHERE = "the cluster (" + KEY + ")";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The outer lock each connection holds; connections compare by identity. */
    private static final Map<StatefulRedisClusterConnection<?, ?>, LeaseLock> HELD = new ConcurrentHashMap<>();

    private final StatefulRedisClusterConnection<String, String> metadata;
    private final String value;
    private final Duration lease;
    private final ScheduledExecutorService heartbeat;
    /** The thread that took an outer lock; null for a nested handle. */
    private final Thread owner;
    /** The lock a nested handle stands for; null for an outer one. */
    private final LeaseLock outer;

    // Guarded by this.
    /** Nested handles of an outer lock that are not closed yet. */
    private int depth;
    private long confirmedUntil;
    private String lostReason;
    private String lastFailure;
    private boolean released;

    /** The lock's value: who holds it. Written once by {@link #acquire}, read for messages. */
    private record Holder(String token, String holder, long pid, String purpose, String since) {

        String describe() {
            return holder + " (pid " + pid + ") for " + purpose + " since " + since;
        }
    }

    private LeaseLock(StatefulRedisClusterConnection<String, String> metadata, String value, Duration lease,
            long sentAt) {
        this.metadata = metadata;
        this.value = value;
        this.lease = lease;
        this.confirmedUntil = sentAt + lease.toNanos();
        this.owner = Thread.currentThread();
        this.outer = null;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "reslot-lock-heartbeat");
            thread.setDaemon(true); // a run that forgets close() must not keep the JVM alive; its lease just lapses
            return thread;
        });
        long period = Math.max(1, lease.toMillis() / 3);
        heartbeat.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /** A nested handle on {@code outer}: no heartbeat and no key of its own. */
    private LeaseLock(LeaseLock outer) {
        this.metadata = outer.metadata;
        this.value = outer.value;
        this.lease = outer.lease;
        this.heartbeat = null;
        this.owner = null;
        this.outer = outer;
    }

    /**
     * Takes the lock for {@link #DEFAULT_LEASE}.
     *
     * @see #acquire(StatefulRedisClusterConnection, String, Duration)
     */
    public static LeaseLock acquire(StatefulRedisClusterConnection<String, String> metadata, String purpose) {
        return acquire(metadata, purpose, DEFAULT_LEASE);
    }

    /**
     * Takes the lock and starts renewing it in the background until {@link #close()}.
     *
     * @param metadata a slot-routed connection, as {@code ClusterAccess.metadata()} gives
     * @param purpose what the run does, for the message another run gets, e.g. {@code "reshard"}
     * @param lease how long the lock outlives its last renewal; a third of it is the renewal period (a nested
     *     acquire keeps the outer lock's lease)
     * @return the lock, or a nested handle on it if this thread already holds it through {@code metadata} (see the
     *     class comment)
     * @throws MigrateException {@link MigrateErrorCode#LOCKED} naming the holder, its purpose, since when it holds
     *     the lock and when its lease expires, if another run holds it; as {@link RedisErrors#classify} says if the
     *     cluster cannot be asked
     * @throws IllegalArgumentException if {@code lease} is shorter than {@link #MIN_LEASE}
     * @throws NullPointerException if an argument is null
     */
    public static LeaseLock acquire(StatefulRedisClusterConnection<String, String> metadata, String purpose,
            Duration lease) {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(purpose, "purpose");
        requireArgument(lease.compareTo(MIN_LEASE) >= 0, "the lease must be at least %d ms, not %d ms",
                MIN_LEASE.toMillis(), lease.toMillis());
        LeaseLock held = HELD.get(metadata);
        if (held != null && held.owner == Thread.currentThread()) {
            synchronized (held) {
                // A lock that was lost is no lock to nest in: ask the cluster as for a first acquire.
                if (held.isHeldOuter()) {
                    held.depth++;
                    return new LeaseLock(held);
                }
            }
        }
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        String value = Json.write(new Holder(HexFormat.of().formatHex(token), Identity.userAtHost(), Identity.pid(),
                purpose, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
        long sentAt = System.nanoTime();
        List<Object> reply = eval(metadata, ACQUIRE, value, Long.toString(lease.toMillis()));
        if (reply.size() == 1) {
            LeaseLock lock = new LeaseLock(metadata, value, lease, sentAt);
            HELD.put(metadata, lock);
            return lock;
        }
        throw new MigrateException(MigrateErrorCode.LOCKED, "the cluster is locked by "
                + describe((String) reply.get(1), (Long) reply.get(2)) + "; nothing was changed. If that run "
                + "crashed, its lock is taken over automatically once its lease expires; a live run renews it until "
                + "it ends");
    }

    /**
     * Who holds the lock, for messages: {@code "alice@host (pid 4242) for reshard since 2026-01-01T10:00:00Z; its
     * lease expires in 27 s unless renewed"}, or empty if nobody does.
     *
     * @throws MigrateException as {@link RedisErrors#classify} says if the cluster cannot be asked
     */
    public static Optional<String> holder(StatefulRedisClusterConnection<String, String> metadata) {
        List<Object> reply = eval(metadata, READ);
        return reply.isEmpty() ? Optional.empty() : Optional.of(describe((String) reply.get(0), (Long) reply.get(1)));
    }

    private static String describe(String value, long pttl) {
        String who;
        try {
            who = Json.read(value, Holder.class, KEY).describe();
        } catch (MigrateException e) {
            who = "an unknown holder (" + KEY + " = " + (value.length() <= 80 ? value : value.substring(0, 77) + "...")
                    + ")";
        }
        if (pttl < 0) {
            // Only a hand-made key has no expiry; reslot always sets one.
            return who + "; the key has no expiry, so no reslot run set it: delete " + KEY
                    + " once you are sure no run is going on";
        }
        return who + "; its lease expires in " + (pttl + 999) / 1000 + " s unless renewed";
    }

    private static List<Object> eval(StatefulRedisClusterConnection<String, String> metadata, String script,
            String... args) {
        try {
            return metadata.sync().eval(script, ScriptOutputType.MULTI, KEYS, args);
        } catch (RedisException e) {
            throw RedisErrors.classify(WHERE, e);
        }
    }

    /** The lease this lock was taken with. */
    public Duration lease() {
        return lease;
    }

    /**
     * Whether this run still holds the lock: it has not been released, no renewal found it taken, and a renewal was
     * confirmed within the last lease (see the class comment). Once false, it stays false.
     */
    public boolean isHeld() {
        if (outer != null) {
            synchronized (this) {
                return !released && outer.isHeld();
            }
        }
        return isHeldOuter();
    }

    private synchronized boolean isHeldOuter() {
        if (lostReason == null && !released && System.nanoTime() - confirmedUntil >= 0) {
            lose("no renewal was confirmed for a whole lease of " + lease.toMillis() + " ms, so the server may have "
                    + "let it expire" + (lastFailure == null ? "" : " (last renewal error: " + lastFailure + ")"));
        }
        return lostReason == null && !released;
    }

    /**
     * Throws unless {@link #isHeld()}; call it before each change to the cluster.
     *
     * @throws MigrateException {@link MigrateErrorCode#STOPPED} saying why the lock was lost, that nothing more was
     *     changed, and to run {@code reslot resume}
     */
    public void checkHeld() {
        if (isHeld()) {
            return;
        }
        String why;
        synchronized (this) {
            why = released ? "this run already released it" : outer != null ? outer.whyLost() : lostReason;
        }
        throw new MigrateException(MigrateErrorCode.STOPPED,
                "the lock " + KEY + " was lost: " + why + "; nothing more was changed; run `reslot resume`");
    }

    /** How many nested handles on this outer lock are open. */
    synchronized int depth() {
        return depth;
    }

    private synchronized String whyLost() {
        return released ? "this run already released it" : lostReason;
    }

    private void renew() {
        if (!isHeld()) {
            return; // lose() or close() has shut the heartbeat down
        }
        long sentAt = System.nanoTime();
        try {
            metadata.async().<Long>eval(RENEW, ScriptOutputType.INTEGER, KEYS, value, Long.toString(lease.toMillis()))
                    .whenComplete((renewed, failure) -> onRenewal(sentAt, renewed, failure));
        } catch (RuntimeException e) {
            // An exception escaping a periodic task would cancel the heartbeat for good.
            onRenewal(sentAt, null, e);
        }
    }

    private synchronized void onRenewal(long sentAt, Long renewed, Throwable failure) {
        if (released || lostReason != null) {
            return;
        }
        if (failure != null) {
            lastFailure = RedisErrors.rootMessage(failure); // the next tick retries; isHeld() decides when it is lost
        } else if (renewed != null && renewed == 1L) {
            if (sentAt + lease.toNanos() - confirmedUntil > 0) {
                confirmedUntil = sentAt + lease.toNanos();
            }
            lastFailure = null;
        } else {
            lose("a renewal found it gone or held by another run");
        }
    }

    private void lose(String reason) {
        lostReason = reason;
        heartbeat.shutdown();
    }

    /** Stops renewing without releasing, as a crashed run would: the key stays until its lease runs out. */
    void stopHeartbeat() {
        LeaseLock lock = outer != null ? outer : this;
        HELD.remove(lock.metadata, lock); // a crashed run is no holder this thread could nest in
        lock.heartbeat.shutdownNow();
    }

    /**
     * Stops the heartbeat and deletes the key if it still holds this run's value, never another run's. If the
     * cluster cannot be reached, the key is left to expire by itself within one lease. Closing a nested handle only
     * ends that handle; the outer lock stays held. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        if (outer != null) {
            synchronized (outer) {
                outer.depth--;
            }
            return;
        }
        HELD.remove(metadata, this);
        heartbeat.shutdownNow();
        try {
            metadata.sync().eval(RELEASE, ScriptOutputType.INTEGER, KEYS, value);
        } catch (RedisException e) {
            // Nothing to do about it: the lease makes the lock free again soon, which is what it is for.
        }
    }
}
