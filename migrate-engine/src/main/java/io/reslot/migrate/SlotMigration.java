package io.reslot.migrate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.reslot.migrate.internal.KeyText;
import io.reslot.slot.SlotTags;

/**
 * Moves one slot from its source to its target in the order of the Redis Cluster specification:
 * <ol>
 *   <li>target {@code CLUSTER SETSLOT s IMPORTING source}, then source {@code CLUSTER SETSLOT s MIGRATING target}
 *       (in this order, so that the target accepts the clients the source redirects with ASK);</li>
 *   <li>source {@code CLUSTER GETKEYSINSLOT} then {@code MIGRATE ... KEYS} until {@code CLUSTER COUNTKEYSINSLOT} is
 *       0;</li>
 *   <li>{@code CLUSTER SETSLOT s NODE target} on the target first, then on the source (after checking again that it
 *       holds no key of the slot: a node that loses a slot deletes the keys it still has in it), then on every
 *       other master.</li>
 * </ol>
 * Any error that is not retried ends the move before step 3, so a slot is never finalised after an unresolved
 * error; it stays open and clients keep being served through ASK redirects.
 *
 * <p>The steps are safe to repeat: a slot found half done (a resumed job) continues from where the nodes say it
 * is. Used by one thread.
 */
final class SlotMigration {

    /**
     * What the move of one slot did.
     *
     * @param keys keys moved
     * @param bytes their estimated bytes
     */
    record Outcome(long keys, long bytes) {
    }

    /** IOERR or timeout on the same slot this many times in a row stops the job. */
    static final int MAX_RETRIES = 5;
    /** Keys of each batch whose MEMORY USAGE is asked for, to estimate the batch's bytes. */
    private static final int SAMPLED_KEYS = 3;
    /** WAIT for replicas this many times (each as long as the MIGRATE timeout) before stopping. */
    private static final int WAIT_ATTEMPTS = 3;
    /** A GETKEYSINSLOT that keeps answering keys MIGRATE cannot move must not loop for ever. */
    private static final int MAX_EMPTY_ROUNDS = 100;

    private final Mover mover;
    private final NodeInfo source;
    private final NodeInfo target;
    private final int slot;
    private final BatchSizer sizer;
    private RedisAsyncCommands<byte[], byte[]> src;
    private RedisAsyncCommands<byte[], byte[]> tgt;

    private long keys;
    private long bytes;
    private boolean markerWritten;
    /**
     * Whether the target may hold stale copies of keys still on the source: a MIGRATE of this slot got no answer in
     * this run, or an earlier run of the job left the slot open (see {@link #resolveBusyKeys}).
     */
    private boolean staleCopies;
    /** The last error made by {@link #stop}, which already says which slot and how it is left. */
    private MigrateException lastStop;

    SlotMigration(Mover mover, NodeInfo source, NodeInfo target, int slot, BatchSizer sizer) {
        this.mover = mover;
        this.source = source;
        this.target = target;
        this.slot = slot;
        this.sizer = sizer;
    }

    /**
     * Moves the slot.
     *
     * @throws MigrateException {@link MigrateErrorCode#STOPPED} (or another code for an unreachable node or refused
     *     credentials) saying what state the slot is left in
     */
    Outcome run() {
        try {
            return move();
        } catch (MigrateException e) {
            if (e == lastStop || e.code() == MigrateErrorCode.INTERRUPTED) {
                throw e;
            }
            // e.g. a node's connection could not be reopened: say which slot, and how it is left
            throw stop(e.getMessage(), true);
        }
    }

    private Outcome move() {
        src = mover.access().connection(source).async();
        tgt = mover.access().connection(target).async();
        staleCopies = mover.leftOpenBefore(slot);
        mover.checkContinue();
        boolean targetOwns = !open(tgt, "IMPORTING", source.id(), "already the owner");
        boolean sourceOwns = open(src, "MIGRATING", target.id(), "not the owner");
        if (!targetOwns && !sourceOwns) {
            // Neither side has it: someone else moved it since the plan was made. Undo our IMPORTING.
            call(tgt.clusterSetSlotStable(slot), "CLUSTER SETSLOT STABLE");
            throw stop("neither " + describe(source) + " nor " + describe(target) + " serves it any more; the cluster"
                    + " changed since the job was planned; run `reslot check`, then make a new plan", false);
        }
        if (sourceOwns) {
            moveKeys();
        }
        mover.checkContinue();
        if (!targetOwns) {
            call(tgt.clusterSetSlotNode(slot, target.id()), "CLUSTER SETSLOT NODE on the target");
        }
        // Empty a moment ago, and a MIGRATING slot takes no new key; but a node that loses a slot deletes the
        // keys it still has in it, so look once more right before handing it over.
        if (sourceOwns && call(src.clusterCountKeysInSlot(slot), "CLUSTER COUNTKEYSINSLOT") > 0) {
            moveKeys();
        }
        // Also when the source no longer owns the slot: a run that stopped after the target's SETSLOT NODE leaves
        // the source MIGRATING, and learning the new owner by gossip does not close that; only SETSLOT NODE does.
        handOverOnSource();
        tellOtherMasters();
        if (markerWritten) {
            call(mover.dedicated(target).async().del(marker()), "DEL of the replication marker");
        }
        return new Outcome(keys, bytes);
    }

    /**
     * Sends {@code SETSLOT s IMPORTING|MIGRATING node}; returns false when the node answers the error that means the
     * step no longer applies (the target already owns the slot, the source no longer does).
     */
    private boolean open(RedisAsyncCommands<byte[], byte[]> node, String state, String other, String doesNotApply) {
        RedisFuture<String> reply = state.equals("IMPORTING")
                ? node.clusterSetSlotImporting(slot, other) : node.clusterSetSlotMigrating(slot, other);
        try {
            await(reply);
            return true;
        } catch (Failure e) {
            if (e.kind == Failure.Kind.REPLY && e.getMessage().contains(doesNotApply)) {
                return false;
            }
            throw stop("CLUSTER SETSLOT " + state + " failed: " + e.getMessage(), false);
        }
    }

    /** MIGRATEs keys until the source holds none of the slot. */
    private void moveKeys() {
        int retries = 0;
        int emptyRounds = 0;
        RedisFuture<List<byte[]>> listed = null; // the next batch, listed right after the last MIGRATE
        while (true) {
            mover.checkContinue();
            List<byte[]> batch = call(listed != null ? listed : src.clusterGetKeysInSlot(slot, sizer.next()),
                    "CLUSTER GETKEYSINSLOT");
            listed = null;
            if (batch.isEmpty()) {
                long left = call(src.clusterCountKeysInSlot(slot), "CLUSTER COUNTKEYSINSLOT");
                if (left == 0) {
                    return;
                }
                if (++emptyRounds > MAX_EMPTY_ROUNDS) {
                    throw stop("GETKEYSINSLOT lists no key while COUNTKEYSINSLOT counts " + left, true);
                }
                continue;
            }
            Failure failed;
            if (streams()) {
                KeyStream.Result streamed = stream(batch);
                keys += streamed.keys();
                bytes += streamed.bytes();
                if (streamed.keys() > 0) {
                    retries = 0;
                }
                if (streamed.failure() == null) {
                    continue; // listed empty: the count above confirms it
                }
                failed = streamed.failure();
                if (streamed.failedBatch() == null) {
                    throw stop("CLUSTER GETKEYSINSLOT failed: " + failed.getMessage(), true);
                }
                batch = streamed.failedBatch();
            } else {
                try {
                    Migrated migrated = migrate(batch, mover.options().onBusyKey() == BusyKeyPolicy.REPLACE, true);
                    retries = 0;
                    if (migrated.left() == 0) {
                        return;
                    }
                    listed = migrated.next();
                    continue;
                } catch (Failure e) {
                    failed = e;
                }
            }
            staleCopies |= failed.isTransient();
            if (failed.kind == Failure.Kind.REPLY && failed.getMessage().contains("BUSYKEY")) {
                resolveBusyKeys(batch);
            } else if (failed.isTransient() && retries < MAX_RETRIES) {
                retries++;
                sizer.shrink(batch.size());
                backOff(retries);
            } else {
                throw stop("MIGRATE failed" + (retries > 0 ? " " + (retries + 1) + " times in a row" : "")
                        + ": " + failed.getMessage(), true);
            }
        }
    }

    /**
     * Whether batches stream ({@link KeyStream}) rather than go one round trip at a time: not with a rate limit or
     * with {@code --wait-replicas}, which wait between batches.
     */
    private boolean streams() {
        return mover.options().rate() == 0 && mover.options().waitReplicas() == 0;
    }

    private KeyStream.Result stream(List<byte[]> first) {
        mover.acquireLane(source);
        try {
            return new KeyStream(mover, source, target, slot, sizer, src).run(first);
        } finally {
            mover.releaseLane(source);
        }
    }

    /**
     * What a MIGRATE left.
     *
     * @param left the keys of the slot still on the source
     * @param next the keys of the next batch, listed right after the MIGRATE; {@code null} if not asked for
     */
    private record Migrated(long left, RedisFuture<List<byte[]>> next) {
    }

    /**
     * One MIGRATE of {@code batch}; the sizes of a few of its keys are asked for first, on the same connection, so
     * that they are measured while the keys are still on the source, and the keys left in the slot are counted
     * right after it in the same round trip (for a slot of a few keys, that count is usually 0 and ends the slot).
     * With {@code listNext}, the next batch's keys are listed in that round trip too: a slot of many keys then
     * costs one round trip per batch, not two.
     */
    private Migrated migrate(List<byte[]> batch, boolean replace, boolean listNext) {
        try {
            mover.throttle().acquire(batch.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted");
        }
        // a small batch is a round trip more than a byte count: one sample is enough there
        int sampled = batch.size() < 32 ? 1 : SAMPLED_KEYS;
        List<RedisFuture<Long>> samples = new ArrayList<>(sampled);
        for (int i = 0; i < sampled; i++) {
            samples.add(src.memoryUsage(batch.get(i * (batch.size() - 1) / Math.max(1, sampled - 1))));
        }
        MoverOptions options = mover.options();
        MigrateArgs<byte[]> args = migrateArgs(mover.access().options(), batch, replace);
        RedisFuture<Long> left;
        RedisFuture<List<byte[]>> next;
        long pause;
        mover.acquireLane(source);
        try {
            long sent = System.nanoTime();
            RedisFuture<String> reply = src.migrate(target.host(), target.port(), 0, options.timeoutMillis(), args);
            left = src.clusterCountKeysInSlot(slot);
            next = listNext ? src.clusterGetKeysInSlot(slot, sizer.next()) : null;
            await(reply);
            pause = mover.serviceMicros(source, sent, System.nanoTime());
        } finally {
            mover.releaseLane(source);
        }
        long estimate = estimateBytes(samples, batch.size());
        sizer.record(batch.size(), estimate, pause);
        keys += batch.size();
        bytes += Math.max(0, estimate);
        mover.emit(new MoveEvent.BatchMoved(slot, batch.size(), Math.max(0, estimate), pause));
        waitForReplicas(batch.size());
        return new Migrated(await(left), next);
    }

    private long estimateBytes(List<RedisFuture<Long>> samples, int batchKeys) {
        long sum = 0;
        int known = 0;
        for (RedisFuture<Long> sample : samples) {
            try {
                Long size = await(sample);
                if (size != null) {
                    sum += size;
                    known++;
                }
            } catch (Failure e) {
                // MEMORY USAGE may be refused by an ACL; the move does not depend on it
            }
        }
        return known == 0 ? -1 : sum * batchKeys / known;
    }

    /**
     * A MIGRATE failed with BUSYKEY: some key of {@code batch} already exists on the target. MIGRATE has moved the
     * keys before it; the rest are moved one by one so that the busy ones can be told apart and handled by the
     * policy.
     *
     * <p>Except after a MIGRATE of this slot got no answer ({@link #staleCopies}), or when an earlier run of the job
     * left the slot open (a MIGRATE of it may have been under way when that run stopped, its answer never read): the
     * target may then have restored keys that MIGRATE never deleted from the source, because the source deletes a
     * key only once the target has answered. Those copies are stale as soon as a client writes the key again, which
     * it does on the source, the node that serves a key it holds while the slot migrates. The source's copy is the
     * one clients see, so it replaces the target's whatever the policy.
     */
    private void resolveBusyKeys(List<byte[]> batch) {
        for (byte[] key : batch) {
            mover.checkContinue();
            try {
                migrate(List.of(key), staleCopies, false);
                continue;
            } catch (Failure e) {
                staleCopies |= e.isTransient();
                if (!(e.kind == Failure.Kind.REPLY && e.getMessage().contains("BUSYKEY"))) {
                    throw stop("MIGRATE of key " + printable(key) + " failed: " + e.getMessage(), true);
                }
            }
            if (mover.options().onBusyKey() == BusyKeyPolicy.FAIL) {
                throw stop("key " + printable(key) + " already exists on the target (--on-busy-key fail). Remove one"
                        + " of the two copies, or run `reslot resume --on-busy-key compare|replace`", true);
            }
            byte[] ours = call(src.dump(key), "DUMP on the source");
            if (ours == null) {
                continue; // deleted or expired meanwhile: nothing left to move
            }
            boolean same;
            try {
                // the target serves an importing slot only to a client that says ASKING first
                same = SameValue.of(key, new SameValue.Side(mover.access().connection(source).sync(), false),
                        new SameValue.Side(mover.dedicated(target).sync(), true));
            } catch (RuntimeException e) {
                throw stop("comparing key " + printable(key) + " on both nodes failed: " + Failure.of(e).getMessage(),
                        true);
            }
            if (!same) {
                throw stop("key " + printable(key) + " exists on both nodes with different values. Keep the one you"
                        + " want: delete the other copy, or run `reslot resume --on-busy-key replace` to overwrite the"
                        + " target's copy with the source's", true);
            }
            try {
                migrate(List.of(key), true, false); // identical copies: replacing loses nothing
            } catch (Failure e) {
                throw stop("MIGRATE REPLACE of key " + printable(key) + " failed: " + e.getMessage(), true);
            }
        }
    }

    /**
     * {@code --wait-replicas N}: WAIT counts only the replication offset of the client's own writes, and the keys
     * were written by the source's MIGRATE connection, so first write a marker key of this slot on our own
     * connection (it follows the restored keys in the replication stream), then WAIT for it.
     */
    private void waitForReplicas(int batchKeys) {
        int wanted = mover.options().waitReplicas();
        if (wanted == 0) {
            return;
        }
        RedisCommands<byte[], byte[]> onTarget = mover.dedicated(target).sync();
        long acknowledged = 0;
        try {
            onTarget.asking();
            onTarget.set(marker(), new byte[0], SetArgs.Builder.px(60_000));
            markerWritten = true;
            for (int attempt = 1; attempt <= WAIT_ATTEMPTS; attempt++) {
                acknowledged = onTarget.waitForReplication(wanted, mover.options().timeoutMillis());
                if (acknowledged >= wanted) {
                    return;
                }
                sizer.shrink(batchKeys); // replicas lag: smaller batches give them time to catch up
            }
        } catch (RuntimeException e) {
            throw stop("WAIT for the target's replicas failed: " + Failure.of(e).getMessage(), true);
        }
        throw stop("only " + acknowledged + " of the " + wanted + " replicas of " + describe(target)
                + " acknowledged the last batch within " + WAIT_ATTEMPTS + " x " + mover.options().timeoutMillis()
                + " ms (" + replicaReport(onTarget) + "); check the replicas, or lower --wait-replicas", true);
    }

    /**
     * What the target says of its replicas in {@code INFO replication}, one {@code ip=… port=… state=… offset=… lag=…}
     * each, and its own offset: whether a replica is still syncing, stalled or gone is what the operator needs next.
     */
    private static String replicaReport(RedisCommands<byte[], byte[]> onTarget) {
        String info;
        try {
            info = onTarget.info("replication");
        } catch (RuntimeException e) {
            return "INFO replication failed: " + Failure.of(e).getMessage();
        }
        List<String> replicas = new ArrayList<>();
        for (String line : info.split("\r?\n")) {
            if (line.matches("slave\\d+:.*")) {
                replicas.add(line.substring(line.indexOf(':') + 1).replace(',', ' '));
            }
        }
        return "INFO replication: " + (replicas.isEmpty() ? "no replica connected" : String.join("; ", replicas))
                + "; master_repl_offset=" + Permissions.infoField(info, "master_repl_offset");
    }

    /** The key {@code --wait-replicas} writes on the target, in the slot being moved; deleted when the slot is done. */
    private byte[] marker() {
        return ("{" + SlotTags.tagFor(slot) + "}reslot:replicated").getBytes(StandardCharsets.UTF_8);
    }

    private void handOverOnSource() {
        try {
            await(src.clusterSetSlotNode(slot, target.id()));
        } catch (Failure e) {
            // A source that gave away its last slot may have turned into a replica of the target meanwhile; it
            // then learns the owner from the target, which is what this command was for.
            if (!e.getMessage().contains("only with masters")) {
                throw stop("CLUSTER SETSLOT NODE on the source failed: " + e.getMessage()
                        + " (the target already serves the slot)", false);
            }
        }
    }

    /**
     * Sends SETSLOT NODE to every other master without waiting: the slot is already served by the target, and a
     * master that misses it learns the owner from the others; the mover collects the replies at the end.
     */
    private void tellOtherMasters() {
        for (NodeInfo other : mover.mastersOtherThan(source, target)) {
            RedisFuture<String> reply;
            try {
                reply = mover.access().connection(other).async().clusterSetSlotNode(slot, target.id());
            } catch (MigrateException e) {
                reply = null;
            }
            mover.toldLater(other, slot, reply);
        }
    }

    private <T> T call(RedisFuture<T> reply, String what) {
        try {
            return await(reply);
        } catch (Failure e) {
            throw stop(what + " failed: " + e.getMessage(), true);
        }
    }

    private static <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply.cancel(false);
            throw new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted");
        } catch (ExecutionException e) {
            throw Failure.of(e.getCause());
        }
    }

    private static void backOff(int attempt) {
        try {
            TimeUnit.MILLISECONDS.sleep(Math.min(2000, 50L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted");
        }
    }

    /**
     * The error that ends this slot's move, saying what state it is in and what to run next.
     *
     * @param open whether the slot is left open (IMPORTING on the target, MIGRATING on the source)
     */
    private MigrateException stop(String what, boolean open) {
        String state = open
                ? " The slot is left open (MIGRATING on " + describe(source) + ", IMPORTING on " + describe(target)
                        + "); clients are still served through ASK redirects. Fix the cause, then run `reslot resume`."
                : " Run `reslot check` to see the slot's state.";
        MigrateErrorCode code = what.contains("NOAUTH") || what.contains("WRONGPASS") || what.contains("NOPERM")
                ? MigrateErrorCode.AUTH : MigrateErrorCode.STOPPED;
        lastStop = new MigrateException(code, "slot " + slot + " (" + describe(source) + " -> " + describe(target)
                + "): " + what + ". " + keys + " of its keys were moved by this run." + state);
        return lastStop;
    }

    private static String describe(NodeInfo node) {
        return node.address();
    }

    /** {@code KEYS ...} with {@code REPLACE} if asked, and the credentials the target needs ({@code AUTH2} or {@code AUTH}). */
    static MigrateArgs<byte[]> migrateArgs(AccessOptions access, List<byte[]> keys, boolean replace) {
        MigrateArgs<byte[]> args = MigrateArgs.Builder.keys(keys);
        if (replace) {
            args.replace();
        }
        char[] password = access.password();
        if (password != null) {
            if (access.user() == null) {
                args.auth(password);
            } else {
                args.auth2(access.user(), new String(password));
            }
        }
        return args;
    }

    /** A key for a message; see {@link KeyText#printable}. */
    static String printable(byte[] key) {
        return KeyText.printable(key);
    }

    /** A failed command, sorted by what can be done about it. */
    static final class Failure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        enum Kind {
            /** The node answered an error. */
            REPLY,
            /** No answer within the command timeout. */
            TIMEOUT,
            /** The connection failed or closed. */
            CONNECTION
        }

        final Kind kind;

        Failure(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        /** IOERR (MIGRATE could not talk to the target) and timeouts are retried with smaller batches. */
        boolean isTransient() {
            return kind == Kind.TIMEOUT || (kind == Kind.REPLY && getMessage().startsWith("IOERR"));
        }

        static Failure of(Throwable e) {
            if (e instanceof Failure failure) {
                return failure;
            }
            if (e instanceof RedisCommandExecutionException) {
                return new Failure(Kind.REPLY, e.getMessage());
            }
            if (e instanceof RedisCommandTimeoutException) {
                return new Failure(Kind.TIMEOUT, "no reply: " + e.getMessage());
            }
            return new Failure(Kind.CONNECTION, "connection failed: " + e);
        }
    }
}
