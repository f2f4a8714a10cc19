package io.reslot.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.reslot.migrate.SlotMigration.Failure;

/**
 * Moves a group of slots of one source/target pair together, in the order of {@link SlotMigration}, each step sent
 * for every slot of the group in one write: the node reads the whole step in one pass of its event loop, and saves
 * its cluster config once for all the group's {@code CLUSTER SETSLOT}s instead of once per command. When slots hold
 * a few dozen keys each, those per-command costs, not the keys, are what a move spends its time on.
 *
 * <p>This is the fast path for the common case only: a slot that holds more keys than one batch, a MIGRATE that
 * fails (a busy key, an I/O error), a SETSLOT refused because an earlier run left the slot half moved, or keys still
 * on the source after the MIGRATE are left, in whatever state the nodes are in, to {@link SlotMigration}, which
 * handles every case one round trip at a time and continues from where the nodes say a slot is. Each slot's own
 * order is never changed: IMPORTING before MIGRATING, no SETSLOT NODE until the source holds no key of the slot, the
 * target before the source before the other masters.
 *
 * <p>MIGRATEs go one at a time per source ({@link Mover#migrateLane}): a MIGRATE blocks its source, and a pipeline
 * of them would block it, and the application clients waiting behind them, for all of them in a row.
 */
final class SlotGroup {

    /**
     * What the group did.
     *
     * @param done the slots moved completely, in order
     * @param left the slots to finish with {@link SlotMigration}
     * @param keys keys moved, those of the left slots included
     * @param bytes their estimated bytes
     */
    record Result(List<Moved> done, List<Integer> left, long keys, long bytes) {
    }

    /** A slot moved completely, with the keys and estimated bytes moved in it. */
    record Moved(int slot, long keys, long bytes) {
    }

    private final Mover mover;
    private final NodeInfo source;
    private final NodeInfo target;
    private final BatchSizer sizer;
    /** Slots still on the fast path, in order; a slot leaves it by moving to {@link #left}. */
    private final List<Slot> active = new ArrayList<>();
    private final List<Integer> left = new ArrayList<>();
    private long keys;
    private long bytes;

    /** One slot's state on the fast path. */
    private static final class Slot {

        final int slot;
        List<byte[]> keys = List.of();
        long movedKeys;
        long movedBytes;

        Slot(int slot) {
            this.slot = slot;
        }
    }

    SlotGroup(Mover mover, NodeInfo source, NodeInfo target, int[] slots, BatchSizer sizer) {
        this.mover = mover;
        this.source = source;
        this.target = target;
        this.sizer = sizer;
        for (int slot : slots) {
            active.add(new Slot(slot));
        }
    }

    /**
     * Moves what it can of the group.
     *
     * @throws MigrateException {@link MigrateErrorCode#INTERRUPTED}, or as {@link Mover#checkContinue()} says, when
     *     the run must stop at once; the group's slots are then left as they are, open ones resumable
     */
    Result run() {
        try {
            return steps();
        } catch (MigrateException e) {
            if (e.code() != MigrateErrorCode.UNREACHABLE && e.code() != MigrateErrorCode.AUTH) {
                throw e; // an interruption or a lost lock, which say themselves what to do
            }
            // a connection could not be opened: say which slots, and how they are left
            throw new MigrateException(e.code(), "slots " + io.reslot.slot.SlotSet.of(slotsOfGroup()) + " ("
                    + source.address() + " -> " + target.address() + "): " + e.getMessage() + ". Some may be left"
                    + " open (MIGRATING on the source, IMPORTING on the target); clients are still served through ASK"
                    + " redirects. Fix the cause, then run `reslot resume`.", e);
        }
    }

    private int[] slotsOfGroup() {
        return java.util.stream.IntStream.concat(active.stream().mapToInt(s -> s.slot),
                left.stream().mapToInt(Integer::intValue)).sorted().toArray();
    }

    private Result steps() {
        StatefulRedisConnection<byte[], byte[]> src = mover.pipe(source);
        StatefulRedisConnection<byte[], byte[]> tgt = mover.pipe(target);
        for (Slot s : active) {
            mover.emit(new MoveEvent.SlotStarted(s.slot, source.id(), target.id()));
        }
        mover.checkContinue();
        step(tgt, (c, s) -> c.clusterSetSlotImporting(s.slot, source.id()));
        step(src, (c, s) -> c.clusterSetSlotMigrating(s.slot, target.id()));

        int cap = sizer.next();
        List<RedisFuture<List<byte[]>>> listed = send(src, (c, s) -> c.clusterGetKeysInSlot(s.slot, cap));
        keep(listed, (i, s, found) -> {
            s.keys = found;
            return found.size() < cap; // a slot with more keys than one batch takes SlotMigration's loop
        });
        migrateAll(src);

        mover.checkContinue();
        // the target first; the source's keys counted once more in the same round trip (see SlotMigration)
        List<RedisFuture<String>> owned = send(tgt, (c, s) -> c.clusterSetSlotNode(s.slot, target.id()));
        keep(send(src, (c, s) -> c.clusterCountKeysInSlot(s.slot)), (i, s, count) -> {
            // after SETSLOT NODE on the target, keys still on the source are SlotMigration's to move
            return awaitQuietly(owned.get(i)) != null && count == 0;
        });
        mover.checkContinue();
        keep(send(src, (c, s) -> c.clusterSetSlotNode(s.slot, target.id())), (i, s, reply) -> true,
                // a source that gave away its last slot may already be a replica of the target: nothing to close
                e -> e.getMessage().contains("only with masters"));
        tellOtherMasters();

        List<Moved> done = new ArrayList<>(active.size());
        for (Slot s : active) {
            done.add(new Moved(s.slot, s.movedKeys, s.movedBytes));
        }
        return new Result(done, left, keys, bytes);
    }

    /** Sends one command per active slot in one write, waits, and keeps the slots whose command succeeded. */
    private <T> void step(StatefulRedisConnection<byte[], byte[]> c, Command<T> command) {
        keep(send(c, command), (i, s, reply) -> true);
    }

    private <T> List<RedisFuture<T>> send(StatefulRedisConnection<byte[], byte[]> c, Command<T> command) {
        List<RedisFuture<T>> replies = new ArrayList<>(active.size());
        for (Slot s : active) {
            replies.add(command.send(c.async(), s));
        }
        c.flushCommands();
        return replies;
    }

    private <T> void keep(List<RedisFuture<T>> replies, Check<T> check) {
        keep(replies, check, e -> false);
    }

    /**
     * Waits for {@code replies} (one per active slot, in order) and moves to {@link #left} every slot whose reply
     * failed (unless {@code harmless} says the error changes nothing) or does not pass {@code check}.
     */
    private <T> void keep(List<RedisFuture<T>> replies, Check<T> check, java.util.function.Predicate<Failure> harmless) {
        List<Slot> kept = new ArrayList<>(active.size());
        for (int i = 0; i < replies.size(); i++) {
            Slot s = active.get(i);
            boolean ok;
            try {
                ok = check.passes(i, s, await(replies.get(i)));
            } catch (Failure e) {
                ok = harmless.test(e);
            }
            if (ok) {
                kept.add(s);
            } else {
                left.add(s.slot);
            }
        }
        active.clear();
        active.addAll(kept);
    }

    /**
     * MIGRATEs each active slot's keys, one MIGRATE at a time on the source, each followed on the same connection by
     * a count of the keys left in its slot; the first is preceded by a MEMORY USAGE of one key, which sizes them all.
     */
    private void migrateAll(StatefulRedisConnection<byte[], byte[]> src) {
        long total = active.stream().mapToLong(s -> s.keys.size()).sum();
        if (total == 0) {
            return;
        }
        try {
            mover.throttle().acquire((int) Math.min(Integer.MAX_VALUE, total));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted");
        }
        RedisFuture<Long> sample = null;
        long bytesPerKey = -1;
        List<Slot> kept = new ArrayList<>(active.size());
        for (Slot s : active) {
            if (s.keys.isEmpty()) {
                kept.add(s); // nothing to move; the count before SETSLOT NODE confirms it
                continue;
            }
            mover.checkContinue();
            if (sample == null) {
                sample = src.async().memoryUsage(s.keys.get(0));
            }
            Long count;
            long pause;
            mover.acquireLane(source);
            try {
                long sent = System.nanoTime();
                RedisFuture<String> reply = src.async().migrate(target.host(), target.port(), 0,
                        mover.options().timeoutMillis(), SlotMigration.migrateArgs(mover.access().options(), s.keys,
                                mover.options().onBusyKey() == BusyKeyPolicy.REPLACE));
                RedisFuture<Long> left = src.async().clusterCountKeysInSlot(s.slot);
                src.flushCommands();
                try {
                    await(reply);
                } catch (Failure e) {
                    // busy keys, an I/O error: SlotMigration sorts it out, and counts what it moves
                    this.left.add(s.slot);
                    awaitQuietly(left);
                    continue;
                }
                pause = mover.serviceMicros(source, sent, System.nanoTime());
                count = awaitQuietly(left);
            } finally {
                mover.releaseLane(source);
            }
            if (bytesPerKey < 0) {
                Long size = awaitQuietly(sample);
                bytesPerKey = size == null ? 0 : size;
            }
            int n = s.keys.size();
            sizer.record(n, bytesPerKey * n, pause);
            s.movedKeys = n;
            s.movedBytes = bytesPerKey * n;
            keys += n;
            bytes += s.movedBytes;
            mover.emit(new MoveEvent.BatchMoved(s.slot, n, s.movedBytes, pause));
            if (count != null && count == 0) {
                kept.add(s);
            } else {
                left.add(s.slot);
            }
        }
        active.clear();
        active.addAll(kept);
    }

    /** SETSLOT NODE to every other master, not waited for, as {@link SlotMigration} does. */
    private void tellOtherMasters() {
        for (NodeInfo other : mover.mastersOtherThan(source, target)) {
            StatefulRedisConnection<byte[], byte[]> c;
            try {
                c = mover.pipe(other);
            } catch (MigrateException e) {
                active.forEach(s -> mover.toldLater(other, s.slot, null));
                continue;
            }
            for (Slot s : active) {
                mover.toldLater(other, s.slot, c.async().clusterSetSlotNode(s.slot, target.id()));
            }
            c.flushCommands();
        }
    }

    /** The reply, or {@code null} if the command failed: for replies the move does not depend on. */
    private static <T> T awaitQuietly(RedisFuture<T> reply) {
        try {
            return await(reply);
        } catch (Failure e) {
            return null;
        }
    }

    private static <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted");
        } catch (ExecutionException e) {
            throw Failure.of(e.getCause());
        }
    }

    @FunctionalInterface
    private interface Command<T> {

        RedisFuture<T> send(RedisAsyncCommands<byte[], byte[]> commands, Slot slot);
    }

    @FunctionalInterface
    private interface Check<T> {

        /** Whether the {@code index}th active slot stays on the fast path, given its reply. */
        boolean passes(int index, Slot slot, T reply);
    }
}
