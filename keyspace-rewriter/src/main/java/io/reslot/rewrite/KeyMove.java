package io.reslot.rewrite;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.reslot.migrate.internal.KeyText;
import io.reslot.slot.KeySlot;

/**
 * Moves one key to a new name without losing a write to it or its expiry.
 *
 * <p>Within one slot that is {@code RENAMENX} ({@code RENAME} when replacing), atomic and TTL-keeping. Across slots
 * no command does it, so the key is copied and the old one deleted only if it is still what was copied:
 * <ol>
 *   <li>on the old key's node, one script reads its {@code DUMP} payload and absolute expiry together;</li>
 *   <li>on the new key's node, {@code RESTORE ... ABSTTL} writes the copy with that same absolute expiry (a relative
 *       TTL would drift by the time the copy took);</li>
 *   <li>on the old key's node, a script compares the key's current payload and expiry with the copied ones and
 *       deletes it only if both are unchanged. If a client changed it meanwhile, the copy is made again
 *       ({@code REPLACE}) and the delete retried, up to {@value #MAX_ATTEMPTS} times.</li>
 * </ol>
 * A client's write to the old name therefore either lands before the delete and is copied, or lands after it and
 * creates a new key under the old name; none is lost. If the old key disappears between copy and delete (a client
 * deleted it, or it expired), the copy is deleted too, if it is still what was copied, so that the new name does not
 * bring it back.
 *
 * <p>A key found under its new name with the old one gone is reported {@link Outcome#ALREADY_DONE}. A key found
 * under both names is a conflict even when both hold the same value: a client writing the old name after the key
 * moved can make it equal to the moved copy by chance, and deleting it would lose those writes. Only the caller
 * knows whether the new name holds its own unfinished copy (a run killed between copy and delete); it says so with
 * {@code ours}, and the copy is then overwritten with the old key's current value before the old key is deleted. A
 * {@link Retag} learns that from the {@link Ledger} it hands each move: the copy and the delete are then made by
 * scripts that record them there.
 * Expiries are exact: {@code PEXPIRETIME} on Redis 7; on 6.2 {@code PTTL} and the {@code TIME} it was counted from,
 * read in one script (see {@link #EXPIRY_FUNCTION}).
 *
 * <p>Commands go through a Lettuce cluster connection, which routes each to the node serving its key and follows
 * {@code MOVED} and {@code ASK} while slots move.
 */
public final class KeyMove {

    /** Copies made for one key before giving up because a client keeps changing it. */
    public static final int MAX_ATTEMPTS = 10;
    /** Tries of a script whose record no slot took (see {@link Ledger}), and the wait between two. */
    private static final int LEDGER_WAITS = 100;
    private static final long LEDGER_WAIT_MILLIS = 20;
    private static final byte[] ZERO = {'0'};
    private static final byte[] ONE = {'1'};

    /** What to do when the new name is taken by a different key. */
    public enum OnConflict {
        /** Leave both keys and report {@link Outcome#CONFLICT}; a run stops on it. */
        FAIL,
        /** Leave both keys and report {@link Outcome#SKIPPED}. */
        SKIP,
        /** Overwrite the key under the new name. */
        REPLACE
    }

    /** What happened to one key. */
    public enum Outcome {
        /** Copied to the new name in another slot and deleted under the old one. */
        MOVED,
        /** Renamed within its slot. */
        RENAMED,
        /** The old name is gone and the new one exists: done by an earlier run (or by someone else). */
        ALREADY_DONE,
        /** Neither name exists (the key was deleted or expired before it could be moved). */
        MISSING,
        /** The old key disappeared while it was being moved; its copy was deleted as well. */
        VANISHED,
        /** The new name is taken by a different key and the policy is {@link OnConflict#SKIP}. */
        SKIPPED,
        /** The new name is taken by a different key and the policy is {@link OnConflict#FAIL}. */
        CONFLICT,
        /** {@link #copyAsync}: copied to the new name; the old key stays. */
        COPIED,
        /** {@link #cleanupAsync}: the old key was deleted, its copy being identical. */
        CLEANED,
        /** {@link #cleanupAsync}, {@link #verifyAsync}: both names exist and differ (value or expiry). */
        DIFFERS,
        /** {@link #cleanupAsync}, {@link #verifyAsync}: the old key exists and the new name does not. */
        NOT_COPIED,
        /** {@link #verifyAsync}: both names exist and are identical; the old key is left over. */
        LEFT_OVER
    }

    /**
     * Lua that defines {@code expiry(key)}, the absolute expiry of a key this node serves in ms, -1 for none, for the
     * script it starts: {@code PEXPIRETIME} on Redis 7 (whose scripts know {@code redis.REDIS_VERSION_NUM}); on 6.2,
     * which lacks it, {@code PTTL} plus the clock it was read at. 6.2's clock runs on during a script, so the
     * {@code PTTL} is read between two {@code TIME}s until both fall in the same millisecond: the one {@code PTTL}
     * counted from, making the sum exact. Taking the first {@code TIME} alone was off by however long the node was
     * descheduled between the two reads, enough on a busy host for an unchanged key to look changed.
     */
    static final String EXPIRY_FUNCTION = """
            local function now()
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local function expiry(key)
              if redis.REDIS_VERSION_NUM then return redis.call('PEXPIRETIME', key) end
              local before, p, after
              for _ = 1, 10 do
                before = now()
                p = redis.call('PTTL', key)
                if p < 0 then return -1 end
                after = now()
                if after == before then break end
              end
              return after + p
            end
            """;

    /**
     * Lua that defines {@code restore(name, expiry, payload, replace)}: {@code RESTORE} with the absolute expiry
     * given as text ({@code "-1"}: none); 1 restored, 0 the name is taken, -1 failed (e.g. not served here).
     */
    static final String RESTORE_FUNCTION = """
            local function restore(name, e, payload, replace)
              local args = {'RESTORE', name, e == '-1' and '0' or e, payload}
              if e ~= '-1' then args[#args + 1] = 'ABSTTL' end
              if replace then args[#args + 1] = 'REPLACE' end
              local ok, err = pcall(redis.call, unpack(args))
              if ok then return 1 end
              if string.find(type(err) == 'table' and err.err or tostring(err), 'BUSYKEY') then return 0 end
              return -1
            end
            """;

    /** {@code {payload, absolute expiry in ms or -1}} of KEYS[1], or nil when it does not exist. */
    private static final String SNAPSHOT = EXPIRY_FUNCTION + """
            local d = redis.call('DUMP', KEYS[1])
            if not d then return false end
            return {d, expiry(KEYS[1])}
            """;

    /**
     * Deletes KEYS[1] if its payload and expiry are the ones in ARGV after the ledger's (see {@link Ledger#FUNCTION}),
     * recording the delete there: 1; gone: 0; changed: -1; not recorded, so not deleted: -2.
     */
    private static final String DELETE_IF_UNCHANGED = Ledger.FUNCTION + EXPIRY_FUNCTION + """
            local d = redis.call('DUMP', KEYS[1])
            if not d then return 0 end
            if d ~= ARGV[base + 1] then return -1 end
            local e = expiry(KEYS[1])
            local want = tonumber(ARGV[base + 2])
            if want < 0 then
              if e >= 0 then return -1 end
            elseif e < 0 or math.abs(e - want) > 1 then
              return -1
            end
            if record() < 0 then return -2 end
            redis.call('DEL', KEYS[1])
            return 1
            """;

    /**
     * Restores KEYS[1] from the payload, absolute expiry (or -1) and replace flag in ARGV after the ledger's, and
     * records the copy there: 1; the name is taken: 0; failed: -1; not recorded, so not restored: -2.
     */
    private static final String RESTORE_RECORDED = Ledger.FUNCTION + RESTORE_FUNCTION + """
            if ARGV[base + 3] ~= '1' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            local written = record()
            if written < 0 then return -2 end
            local restored = restore(KEYS[1], ARGV[base + 2], ARGV[base + 1], ARGV[base + 3] == '1')
            if written > 0 and restored ~= 1 then redis.call('HSET', ARGV[3 + written], ledger_field, '') end
            return restored
            """;

    /**
     * Renames KEYS[1] to KEYS[2] (one slot), overwriting it if the flag in ARGV after the ledger's says so, and records
     * the old name's delete there: 1; the new name is taken: 0; KEYS[1] is gone: -1; not recorded, so not renamed: -2.
     */
    private static final String RENAME_RECORDED = Ledger.FUNCTION + """
            if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
            if ARGV[base + 1] ~= '1' and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
            if record() < 0 then return -2 end
            redis.call('RENAME', KEYS[1], KEYS[2])
            return 1
            """;

    /** Deletes KEYS[1] if its payload is ARGV[1]: 1, else 0. */
    private static final String DELETE_COPY_IF_UNCHANGED = """
            if redis.call('DUMP', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              return 1
            end
            return 0
            """;

    private final RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis;

    /** @param redis a cluster connection with a byte-array codec; commands are pipelined on it */
    public KeyMove(RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis) {
        this.redis = redis;
    }

    /**
     * Moves {@code from} to {@code to} and waits.
     *
     * @throws RewriteException {@link RewriteErrorCode#KEY_BUSY} if the key changed during each of
     *     {@value #MAX_ATTEMPTS} copies; {@link RewriteErrorCode#STOPPED} if a command failed (the key is then under
     *     its old name, with perhaps an identical copy under the new one: running again finishes it)
     */
    public Outcome move(byte[] from, byte[] to, OnConflict onConflict) {
        try {
            return moveAsync(from, to, onConflict, false).toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RewriteException(RewriteErrorCode.INTERRUPTED, "interrupted while moving a key");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /**
     * Moves {@code from} to {@code to} without waiting; the commands are sent at once, and the stage completes when
     * the key is done. Failures complete it exceptionally with a {@link RewriteException}, as {@link #move} throws.
     *
     * @param ours whether a key under the new name is this caller's own copy from a move that did not finish: it is
     *     then overwritten whatever the policy. Say so only for keys whose move was under way when a run stopped
     */
    public CompletionStage<Outcome> moveAsync(byte[] from, byte[] to, OnConflict onConflict, boolean ours) {
        return moveAsync(from, to, onConflict, ours, null);
    }

    /**
     * {@link #moveAsync(byte[], byte[], OnConflict, boolean)}, recording in {@code ledger} (if not {@code null}) each
     * copy it makes and each old name it deletes, in the scripts that make them.
     */
    CompletionStage<Outcome> moveAsync(byte[] from, byte[] to, OnConflict onConflict, boolean ours, Ledger ledger) {
        OnConflict policy = ours ? OnConflict.REPLACE : onConflict;
        CompletionStage<Outcome> moved = KeySlot.of(from) == KeySlot.of(to)
                ? (ledger == null ? rename(from, to, policy) : rename(from, to, policy, ledger, 0))
                : copy(from, to, policy, 1, ledger);
        return moved.handle(KeyMove::rethrow);
    }

    private CompletionStage<Outcome> rename(byte[] from, byte[] to, OnConflict onConflict) {
        CompletionStage<Boolean> renamed = onConflict == OnConflict.REPLACE
                ? redis.rename(from, to).thenApply(ok -> true)
                : redis.renamenx(from, to);
        return renamed.handle((done, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(done ? Outcome.RENAMED : conflict(onConflict));
            }
            if (cause(error) instanceof RedisCommandExecutionException e && e.getMessage().contains("no such key")) {
                return gone(to);
            }
            return CompletableFuture.<Outcome>failedFuture(cause(error));
        }).thenCompose(stage -> stage);
    }

    /** The rename, as a script that records the old name's delete in {@code ledger}. */
    private CompletionStage<Outcome> rename(byte[] from, byte[] to, OnConflict onConflict, Ledger ledger, int waits) {
        List<byte[]> head = ledger.head('d', from);
        byte[][] args = with(head, onConflict == OnConflict.REPLACE ? ONE : ZERO);
        return Scripts.<Long>run(redis, RENAME_RECORDED, ScriptOutputType.INTEGER, new byte[][] {from, to}, args)
                .thenCompose(renamed -> {
                    if (renamed == -2) {
                        return later(waits, from, () -> rename(from, to, onConflict, ledger, waits + 1));
                    }
                    if (renamed == 1) {
                        ledger.wroteAny(head);
                    }
                    return renamed == -1 ? gone(to)
                            : CompletableFuture.completedFuture(renamed == 1 ? Outcome.RENAMED : conflict(onConflict));
                });
    }

    private CompletionStage<Outcome> copy(byte[] from, byte[] to, OnConflict onConflict, int attempt, Ledger ledger) {
        return snapshot(from).thenCompose(old -> {
            if (old == null) {
                return attempt == 1 ? gone(to) : CompletableFuture.completedFuture(Outcome.VANISHED);
            }
            // after the first attempt the copy under the new name is ours
            boolean replace = attempt > 1 || onConflict == OnConflict.REPLACE;
            return restore(to, old, replace, ledger, 0).thenCompose(restored -> restored
                    ? deleteOld(from, to, onConflict, attempt, old.payload(), old.expiry(), ledger, 0)
                    : CompletableFuture.completedFuture(conflict(onConflict)));
        });
    }

    /**
     * Restores {@code old} under {@code to}, recorded in {@code ledger} if there is one.
     *
     * @return whether it did; {@code false}: the name is taken
     */
    private CompletionStage<Boolean> restore(byte[] to, Snapshot old, boolean replace, Ledger ledger, int waits) {
        if (ledger == null) {
            return plainRestore(to, old, replace);
        }
        List<byte[]> head = ledger.head('c', to);
        byte[][] args = with(head, old.payload(), Long.toString(old.expiry()).getBytes(StandardCharsets.US_ASCII),
                replace ? ONE : ZERO);
        return KeyMove.<Long>script(redis, RESTORE_RECORDED, ScriptOutputType.INTEGER, to, args)
                .handle((restored, error) -> {
                    if (error != null || restored == -1) {
                        // The script was refused as a whole (a node that denies scripts), or the RESTORE in it
                        // failed: the plain command, which says why it fails. A copy it makes is not recorded, and
                        // so never taken for the run's own by a run started again: a conflict then, not a loss.
                        return plainRestore(to, old, replace);
                    }
                    if (restored == -2) {
                        return later(waits, to, () -> restore(to, old, replace, ledger, waits + 1));
                    }
                    if (restored == 1) {
                        ledger.wroteAny(head);
                    }
                    return CompletableFuture.completedFuture(restored == 1);
                }).thenCompose(stage -> stage);
    }

    private CompletionStage<Boolean> plainRestore(byte[] to, Snapshot old, boolean replace) {
        return redis.restore(to, old.payload(), restoreArgs(old.expiry(), replace)).handle((ok, error) -> {
            if (error == null) {
                return true;
            }
            if (!isBusyKey(error)) {
                throw failure(error);
            }
            return false;
        });
    }

    private CompletionStage<Outcome> deleteOld(byte[] from, byte[] to, OnConflict onConflict, int attempt,
            byte[] payload, long expiry, Ledger ledger, int waits) {
        List<byte[]> head = ledger == null ? Ledger.NONE : ledger.head('d', from);
        return deleteIfUnchanged(from, head, payload, expiry).thenCompose(deleted -> {
            if (deleted == 1) {
                if (ledger != null) {
                    ledger.wroteAny(head);
                }
                return CompletableFuture.completedFuture(Outcome.MOVED);
            }
            if (deleted == -2) {
                return later(waits, from,
                        () -> deleteOld(from, to, onConflict, attempt, payload, expiry, ledger, waits + 1));
            }
            if (deleted == 0) {
                // gone since the copy: deleted or expired; the copy must not bring it back
                return KeyMove.<Long>script(redis, DELETE_COPY_IF_UNCHANGED, ScriptOutputType.INTEGER, to,
                        payload).thenApply(x -> Outcome.VANISHED);
            }
            if (attempt >= MAX_ATTEMPTS) {
                return CompletableFuture.failedFuture(new RewriteException(RewriteErrorCode.KEY_BUSY,
                        "key " + KeyText.printable(from) + " changed during each of " + MAX_ATTEMPTS + " copies to "
                                + KeyText.printable(to) + "; it is left under its old name (the new name holds"
                                + " a recent copy); run the retag again when writes to it calm down"));
            }
            return copy(from, to, onConflict, attempt + 1, ledger);
        });
    }

    /** {@link #DELETE_IF_UNCHANGED} on {@code key}'s node, with the ledger's arguments {@code head}. */
    private CompletionStage<Long> deleteIfUnchanged(byte[] key, List<byte[]> head, byte[] payload, long expiry) {
        return KeyMove.<Long>script(redis, DELETE_IF_UNCHANGED, ScriptOutputType.INTEGER, key,
                with(head, payload, Long.toString(expiry).getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * {@code again}, a moment from now: a script could not record its change in the ledger, in any slot it tried
     * (slots being moved), and changed nothing; up to {@value #LEDGER_WAITS} times.
     */
    private static <T> CompletionStage<T> later(int waits, byte[] key, Supplier<CompletionStage<T>> again) {
        if (waits >= LEDGER_WAITS) {
            return CompletableFuture.failedFuture(new RewriteException(RewriteErrorCode.STOPPED, "the move of key "
                    + KeyText.printable(key) + " could not be recorded in the retag's ledger (" + Ledger.PREFIX
                    + "*): no slot it tried took the record (slots being moved?), so that step was not taken; the key"
                    + " is under its old name (a copy made before is recorded); run the retag again to finish it"));
        }
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(LEDGER_WAIT_MILLIS, TimeUnit.MILLISECONDS))
                .thenCompose(x -> again.get());
    }

    /** {@code head} followed by {@code args}: a script's ARGV. */
    private static byte[][] with(List<byte[]> head, byte[]... args) {
        byte[][] all = head.toArray(new byte[head.size() + args.length][]);
        System.arraycopy(args, 0, all, head.size(), args.length);
        return all;
    }

    /** Runs {@code script} on the node serving {@code key}; see {@link Scripts#run}. */
    private static <T> CompletionStage<T> script(RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis,
            String script, ScriptOutputType type, byte[] key, byte[]... args) {
        return Scripts.run(redis, script, type, new byte[][] {key}, args);
    }

    /**
     * Copies {@code from} to {@code to} and keeps the old key, for a rollout that reads both names for a while. A new
     * name that already holds the same value and expiry counts as {@link Outcome#ALREADY_DONE}; one that holds
     * something else is a conflict, handled by {@code onConflict}.
     */
    public CompletionStage<Outcome> copyAsync(byte[] from, byte[] to, OnConflict onConflict) {
        return snapshot(from).thenCompose(old -> {
            if (old == null) {
                return gone(to);
            }
            RestoreArgs args = restoreArgs(old.expiry(), onConflict == OnConflict.REPLACE);
            return redis.restore(to, old.payload(), args).handle((ok, error) -> {
                if (error == null) {
                    return CompletableFuture.completedFuture(Outcome.COPIED);
                }
                if (!isBusyKey(error)) {
                    return CompletableFuture.<Outcome>failedFuture(cause(error));
                }
                return snapshot(to).thenCompose(copy -> copy == null ? CompletableFuture.completedFuture(false)
                        : same(from, old, to, copy)).thenApply(same -> same ? Outcome.ALREADY_DONE
                                : conflict(onConflict));
            }).thenCompose(stage -> stage);
        }).handle(KeyMove::rethrow);
    }

    /**
     * Deletes {@code from} if {@code to} holds an identical copy (same payload, same expiry), as the last step of a
     * rollout that copied first. The delete is conditional on the old key being unchanged, in one script on its node:
     * a write to it since the copy makes it {@link Outcome#DIFFERS}, and it stays.
     */
    public CompletionStage<Outcome> cleanupAsync(byte[] from, byte[] to) {
        return snapshot(to).thenCompose(copy -> {
            if (copy == null) {
                return redis.exists(from).thenApply(n -> n > 0 ? Outcome.NOT_COPIED : Outcome.MISSING);
            }
            return deleteIfUnchanged(from, Ledger.NONE, copy.payload(), copy.expiry())
                    .thenCompose(deleted -> deleted == 1 ? CompletableFuture.completedFuture(Outcome.CLEANED)
                            : deleted == 0 ? CompletableFuture.completedFuture(Outcome.ALREADY_DONE)
                            : cleanupByContent(from, to, copy));
        }).handle(KeyMove::rethrow);
    }

    /**
     * {@link #cleanupAsync} for an old key whose payload is not the copy's: deleted all the same if the two hold the
     * same members (see {@link #same}) and the old key is still as it was read before that comparison.
     */
    private CompletionStage<Outcome> cleanupByContent(byte[] from, byte[] to, Snapshot copy) {
        return snapshot(from).thenCompose(old -> old == null ? CompletableFuture.completedFuture(Outcome.ALREADY_DONE)
                : same(from, old, to, copy).thenCompose(same -> {
                    if (!same) {
                        return CompletableFuture.completedFuture(Outcome.DIFFERS);
                    }
                    return deleteIfUnchanged(from, Ledger.NONE, old.payload(), old.expiry())
                            .thenApply(deleted -> deleted == 1 ? Outcome.CLEANED
                                    : deleted == 0 ? Outcome.ALREADY_DONE : Outcome.DIFFERS);
                }));
    }

    /**
     * Compares the two names and changes nothing: {@link Outcome#ALREADY_DONE} when only the new one exists,
     * {@link Outcome#LEFT_OVER} when both exist and are identical, {@link Outcome#DIFFERS} when both exist and
     * differ, {@link Outcome#NOT_COPIED} when only the old one exists, {@link Outcome#MISSING} when neither does.
     */
    public CompletionStage<Outcome> verifyAsync(byte[] from, byte[] to) {
        CompletableFuture<Snapshot> old = snapshot(from).toCompletableFuture();
        CompletableFuture<Snapshot> copy = snapshot(to).toCompletableFuture();
        return old.thenCombine(copy, (o, c) -> {
            if (o == null) {
                return CompletableFuture.completedFuture(c == null ? Outcome.MISSING : Outcome.ALREADY_DONE);
            }
            if (c == null) {
                return CompletableFuture.completedFuture(Outcome.NOT_COPIED);
            }
            return same(from, o, to, c).thenApply(same -> same ? Outcome.LEFT_OVER : Outcome.DIFFERS);
        }).thenCompose(outcome -> outcome).handle(KeyMove::rethrow);
    }

    /**
     * A key's payload and absolute expiry ({@code -1}: none), read together.
     *
     * <p>Payloads are compared byte for byte, which is exact for the same key on the same node; see {@link #same}
     * for copies on two nodes.
     */
    private record Snapshot(byte[] payload, long expiry) {

        boolean sameAs(Snapshot other) {
            return java.util.Arrays.equals(payload, other.payload) && sameExpiry(other);
        }

        boolean sameExpiry(Snapshot other) {
            return expiry < 0 ? other.expiry < 0 : other.expiry >= 0 && Math.abs(expiry - other.expiry) <= 1;
        }
    }

    /**
     * Whether keys {@code a} and {@code b}, read as {@code sa} and {@code sb}, hold the same value and expiry. Equal
     * payloads say so at once. Otherwise two hashes or two sets may still be equal: one stored as a hash table dumps
     * its members in its table's order, and each node seeds its hash function at random, so a copy restored on
     * another node dumps them in another order. Those two types are compared member by member; for every other
     * type a different payload is a different value.
     */
    private CompletionStage<Boolean> same(byte[] a, Snapshot sa, byte[] b, Snapshot sb) {
        if (sa.sameAs(sb)) {
            return CompletableFuture.completedFuture(true);
        }
        if (!sa.sameExpiry(sb)) {
            return CompletableFuture.completedFuture(false);
        }
        return redis.type(a).thenCombine(redis.type(b), (ta, tb) -> ta.equals(tb) ? ta : "")
                .thenCompose(type -> switch (type) {
                    case "hash" -> redis.hgetall(a).thenCombine(redis.hgetall(b),
                            (x, y) -> members(x).equals(members(y)));
                    case "set" -> redis.smembers(a).thenCombine(redis.smembers(b),
                            (x, y) -> members(x).equals(members(y)));
                    default -> CompletableFuture.completedFuture(false);
                });
    }

    /** A hash's fields and values, comparable by content (byte arrays compare by identity). */
    private static Map<ByteBuffer, ByteBuffer> members(Map<byte[], byte[]> hash) {
        Map<ByteBuffer, ByteBuffer> members = new HashMap<>();
        hash.forEach((field, value) -> members.put(ByteBuffer.wrap(field), ByteBuffer.wrap(value)));
        return members;
    }

    /** A set's members, comparable by content. */
    private static Set<ByteBuffer> members(Set<byte[]> set) {
        Set<ByteBuffer> members = new HashSet<>();
        set.forEach(member -> members.add(ByteBuffer.wrap(member)));
        return members;
    }

    /** The key's snapshot, or {@code null} when it does not exist. */
    private CompletionStage<Snapshot> snapshot(byte[] key) {
        return KeyMove.<List<Object>>script(redis, SNAPSHOT, ScriptOutputType.MULTI, key).thenApply(reply ->
                reply == null || reply.isEmpty() || reply.get(0) == null ? null
                        : new Snapshot((byte[]) reply.get(0), (Long) reply.get(1)));
    }

    private static RestoreArgs restoreArgs(long expiry, boolean replace) {
        RestoreArgs args = RestoreArgs.Builder.ttl(Math.max(0, expiry));
        if (expiry >= 0) {
            args.absttl();
        }
        if (replace) {
            args.replace();
        }
        return args;
    }

    private static boolean isBusyKey(Throwable error) {
        return cause(error) instanceof RedisCommandExecutionException e && e.getMessage().startsWith("BUSYKEY");
    }

    private static Outcome rethrow(Outcome outcome, Throwable error) {
        if (error != null) {
            throw failure(error);
        }
        return outcome;
    }

    /**
     * Deletes {@code to} if it still holds {@code payload}: the old key disappeared after it was copied, and the copy
     * must not bring it back.
     *
     * @return {@link Outcome#VANISHED}
     */
    CompletionStage<Outcome> discardCopyAsync(byte[] to, byte[] payload) {
        return KeyMove.<Long>script(redis, DELETE_COPY_IF_UNCHANGED, ScriptOutputType.INTEGER, to, payload)
                .thenApply(x -> Outcome.VANISHED).handle(KeyMove::rethrow);
    }

    /** The old key does not exist: done already if the new one does. */
    private CompletionStage<Outcome> gone(byte[] to) {
        return redis.exists(to).thenApply(n -> n > 0 ? Outcome.ALREADY_DONE : Outcome.MISSING);
    }

    private static Outcome conflict(OnConflict onConflict) {
        return onConflict == OnConflict.SKIP ? Outcome.SKIPPED : Outcome.CONFLICT;
    }

    private static Throwable cause(Throwable e) {
        return Scripts.unwrap(e);
    }

    private static RewriteException failure(Throwable e) {
        Throwable cause = cause(e);
        if (cause instanceof RewriteException rewrite) {
            return rewrite;
        }
        return new RewriteException(RewriteErrorCode.STOPPED, "a command failed: " + cause.getMessage()
                + "; the key is under its old name (perhaps with an identical copy under the new one); running the"
                + " retag again finishes it", cause);
    }
}
