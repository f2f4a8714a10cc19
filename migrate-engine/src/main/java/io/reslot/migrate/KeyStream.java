package io.reslot.migrate;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.reslot.migrate.SlotMigration.Failure;

/**
 * Moves the keys of one slot batch after batch with no thread waiting in between: each MIGRATE is sent by the
 * callback that receives the previous one's reply and the next batch's keys (listed in the same round trip), on the
 * connection's I/O thread. A slot of a million keys takes a thousand MIGRATEs; waking a waiting thread for each
 * costs a millisecond apiece on a busy machine, which is what separates the source's MIGRATEs otherwise.
 *
 * <p>It stops at the first failed command, or when the slot is listed empty, and reports what it moved; the failed
 * batch is handed back so that {@link SlotMigration} can deal with it one round trip at a time (busy keys, retries).
 * The caller holds the source's MIGRATE lane for the whole stream.
 */
final class KeyStream {

    /**
     * How a stream ended.
     *
     * @param keys keys moved
     * @param bytes their estimated bytes
     * @param failure the failure that ended it, or {@code null} when the slot was listed empty
     * @param failedBatch the batch whose command failed ({@code null} when none did)
     */
    record Result(long keys, long bytes, Failure failure, List<byte[]> failedBatch) {
    }

    private final Mover mover;
    private final NodeInfo source;
    private final NodeInfo target;
    private final int slot;
    private final BatchSizer sizer;
    private final RedisAsyncCommands<byte[], byte[]> src;
    private final CompletableFuture<Result> end = new CompletableFuture<>();
    private volatile boolean halted;
    private long keys;
    private long bytes;

    KeyStream(Mover mover, NodeInfo source, NodeInfo target, int slot, BatchSizer sizer,
            RedisAsyncCommands<byte[], byte[]> src) {
        this.mover = mover;
        this.source = source;
        this.target = target;
        this.slot = slot;
        this.sizer = sizer;
        this.src = src;
    }

    /**
     * Moves {@code first}, then every batch listed after it, until the slot is listed empty or a command fails.
     *
     * @throws MigrateException {@link MigrateErrorCode#INTERRUPTED} if interrupted (the MIGRATE under way finishes on
     *     the server, nothing more is sent), or as {@link Mover#checkContinue()} says
     */
    Result run(List<byte[]> first) {
        send(first);
        try {
            return end.get();
        } catch (InterruptedException e) {
            halted = true;
            Thread.currentThread().interrupt();
            throw new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MigrateException stop) {
                throw stop;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void send(List<byte[]> batch) {
        try {
            if (halted) {
                end.completeExceptionally(new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted"));
                return;
            }
            mover.checkContinue();
            RedisFuture<Long> size = src.memoryUsage(batch.get(batch.size() / 2));
            long sent = System.nanoTime();
            RedisFuture<String> reply = src.migrate(target.host(), target.port(), 0, mover.options().timeoutMillis(),
                    SlotMigration.migrateArgs(mover.access().options(), batch,
                            mover.options().onBusyKey() == BusyKeyPolicy.REPLACE));
            RedisFuture<List<byte[]>> next = src.clusterGetKeysInSlot(slot, sizer.next());
            reply.whenComplete((ok, failed) -> {
                if (failed != null) {
                    end.complete(new Result(keys, bytes, Failure.of(unwrap(failed)), batch));
                    return;
                }
                moved(batch.size(), size, mover.serviceMicros(source, sent, System.nanoTime()));
                next.whenComplete((listed, notListed) -> {
                    if (notListed != null) {
                        end.complete(new Result(keys, bytes, Failure.of(unwrap(notListed)), null));
                    } else if (listed.isEmpty()) {
                        end.complete(new Result(keys, bytes, null, null));
                    } else {
                        send(listed);
                    }
                });
            });
        } catch (RuntimeException e) {
            end.completeExceptionally(e);
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private void moved(int n, RedisFuture<Long> size, long pauseMicros) {
        // the reply came before MIGRATE's, on the same connection
        CompletableFuture<Long> sized = size.toCompletableFuture();
        Long perKey = sized.isDone() && !sized.isCompletedExceptionally() ? sized.getNow(null) : null;
        long estimate = perKey == null ? -1 : perKey * n;
        sizer.record(n, estimate, pauseMicros);
        keys += n;
        bytes += Math.max(0, estimate);
        mover.emit(new MoveEvent.BatchMoved(slot, n, Math.max(0, estimate), pauseMicros));
    }
}
