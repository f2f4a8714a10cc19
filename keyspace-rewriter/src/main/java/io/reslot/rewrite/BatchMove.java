package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.rewrite.KeyMove.OnConflict;
import io.reslot.rewrite.KeyMove.Outcome;
import io.reslot.slot.KeySlot;

/**
 * {@link KeyMove#moveAsync}'s steps for a whole page of keys at once: one script on the source node reads every
 * key's payload and expiry, one script per target node restores the copies, one script on the source deletes the
 * old keys that are unchanged. Three commands per page and node instead of three per key: what makes a retag fast.
 * A key whose new name is served by its own node moves inside one script there ({@code MOVE_LOCAL}): no payload
 * leaves the node, and nothing can change the key between its copy and its delete.
 *
 * <p>The scripts declare no keys and name them in their arguments, which a node allows for keys of any slot it
 * serves; a key it no longer serves (its slot moved) fails alone, inside the script. Every key that is not the plain
 * case — missing, in the same slot as its new name, a taken new name, a key changed since it was read, a failed
 * command — is handed to {@link KeyMove} one by one, which settles it exactly as a single move would.
 */
final class BatchMove {

    /** {payload or false, expiry} for each ARGV key; false and -2 for a key that is missing or not served here. */
    private static final String SNAPSHOT_MANY = KeyMove.EXPIRY_FUNCTION + """
            local out = {}
            for i = 1, #ARGV do
              local key = ARGV[i]
              local ok, d = pcall(redis.call, 'DUMP', key)
              if ok and d then
                out[2 * i - 1] = d
                out[2 * i] = expiry(key)
              else
                out[2 * i - 1] = false
                out[2 * i] = -2
              end
            end
            return out
            """;

    /**
     * Lua that defines {@code restore(name, expiry, payload, replace)}: {@code RESTORE} with the absolute expiry
     * given as text ({@code "-1"}: none); 1 restored, 0 the name is taken, -1 failed (e.g. not served here).
     */
    private static final String RESTORE_FUNCTION = """
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

    /** ARGV: replace flag, then (name, absolute expiry or -1, payload) triples; per key 1 restored, 0 taken, -1 failed. */
    private static final String RESTORE_MANY = RESTORE_FUNCTION + """
            local out = {}
            local replace = ARGV[1] == '1'
            for i = 2, #ARGV, 3 do
              out[#out + 1] = restore(ARGV[i], ARGV[i + 1], ARGV[i + 2], replace)
            end
            return out
            """;

    /** ARGV: (name, payload, expiry) triples; per key 1 deleted, 0 gone, -1 changed (or not served here). */
    private static final String DELETE_MANY = KeyMove.EXPIRY_FUNCTION + """
            local out = {}
            for i = 1, #ARGV, 3 do
              local key = ARGV[i]
              local ok, d = pcall(redis.call, 'DUMP', key)
              if not ok then
                out[#out + 1] = -1
              elseif not d then
                out[#out + 1] = 0
              elseif d ~= ARGV[i + 1] then
                out[#out + 1] = -1
              else
                local e = expiry(key)
                local want = tonumber(ARGV[i + 2])
                if (want < 0 and e >= 0) or (want >= 0 and (e < 0 or math.abs(e - want) > 1)) then
                  out[#out + 1] = -1
                else
                  redis.call('DEL', key)
                  out[#out + 1] = 1
                end
              end
            end
            return out
            """;

    /**
     * ARGV: replace flag, then (old name, new name) pairs, both served by this node; per key 1 moved, 0 missing,
     * -1 new name taken, -2 failed (e.g. no longer served here). Atomic per key, as every script is.
     */
    private static final String MOVE_LOCAL = KeyMove.EXPIRY_FUNCTION + RESTORE_FUNCTION + """
            local out = {}
            local replace = ARGV[1] == '1'
            for i = 2, #ARGV, 2 do
              local key = ARGV[i]
              local ok, d = pcall(redis.call, 'DUMP', key)
              if not ok then
                out[#out + 1] = -2
              elseif not d then
                out[#out + 1] = 0
              else
                local restored = restore(ARGV[i + 1], tostring(expiry(key)), d, replace)
                if restored == 1 then
                  redis.call('DEL', key)
                end
                out[#out + 1] = restored == 1 and 1 or restored - 1
              end
            end
            return out
            """;

    private final ClusterAccess access;
    private final Topology topology;
    private final KeyMove single;
    private final Retag.Hook hook;

    BatchMove(ClusterAccess access, KeyMove single) {
        this(access, single, Retag.Hook.NONE);
    }

    BatchMove(ClusterAccess access, KeyMove single, Retag.Hook hook) {
        this.access = access;
        this.topology = access.topology();
        this.single = single;
        this.hook = hook;
    }

    /**
     * Moves {@code from.get(i)} to {@code to.get(i)} for every i; the keys were listed by {@code source}'s SCAN.
     *
     * @return one stage per key, in order, each as {@link KeyMove#moveAsync} would complete it
     */
    List<CompletableFuture<Outcome>> move(NodeInfo source, List<byte[]> from, List<byte[]> to, OnConflict onConflict) {
        int n = from.size();
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            outcomes.add(null);
        }
        boolean[] copied = new boolean[n]; // the new name holds this run's copy
        try {
            RedisAsyncCommands<byte[], byte[]> src = access.connection(source).async();
            List<Integer> batch = new ArrayList<>();
            List<Integer> local = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int slot = KeySlot.of(to.get(i));
                if (KeySlot.of(from.get(i)) == slot) {
                    outcomes.set(i, single(from, to, i, onConflict, false)); // a rename: one command already
                } else if (source.id().equals(topology.ownerOf(slot))) {
                    local.add(i);
                } else {
                    batch.add(i);
                }
            }
            // sent now, read after the other keys' snapshot: the node works on both while this waits
            CompletableFuture<List<Object>> movingLocally = local.isEmpty() ? null
                    : send(src, MOVE_LOCAL, args(replaceFlag(onConflict), local, i -> List.of(from.get(i), to.get(i))));
            if (!batch.isEmpty()) {
                moveAcross(source, src, from, to, onConflict, batch, outcomes, copied);
            }
            if (movingLocally != null) {
                List<Object> results = await(movingLocally);
                for (int j = 0; j < local.size(); j++) {
                    int i = local.get(j);
                    long result = (Long) results.get(j);
                    if (result == 1) {
                        outcomes.set(i, CompletableFuture.completedFuture(Outcome.MOVED));
                    } // else missing, taken (the policy decides, on a fresh read) or failed: one by one, below
                }
            }
        } catch (RedisException | CompletionException e) {
            // A whole script failed: every key not settled goes one by one, as ours only where a RESTORE is known to
            // have made the copy. Elsewhere the new name may hold another key that a RESTORE found there; if it
            // holds a copy of ours after all, that is a conflict, and the page's journal lets the next run finish it.
        }
        for (int i = 0; i < n; i++) {
            if (outcomes.get(i) == null) {
                outcomes.set(i, single(from, to, i, onConflict, copied[i]));
            }
        }
        return outcomes;
    }

    /**
     * Moves the keys {@code batch} names, whose new names are served by other nodes: snapshot on the source,
     * restore on each target, delete the unchanged old keys. Sets the outcomes it settles, and {@code copied} for
     * the keys whose copy a RESTORE is known to have made.
     */
    private void moveAcross(NodeInfo source, RedisAsyncCommands<byte[], byte[]> src, List<byte[]> from,
            List<byte[]> to, OnConflict onConflict, List<Integer> batch, List<CompletableFuture<Outcome>> outcomes,
            boolean[] copied) {
        int n = from.size();
        List<Object> snapshot = run(src, SNAPSHOT_MANY, args(List.of(), batch, i -> List.of(from.get(i))));
        byte[][] payloads = new byte[n][];
        long[] expiries = new long[n];
        Map<String, List<Integer>> byTarget = new LinkedHashMap<>(); // target node id -> keys
        for (int j = 0; j < batch.size(); j++) {
            int i = batch.get(j);
            Object payload = snapshot.get(2 * j);
            if (!(payload instanceof byte[] bytes)) {
                outcomes.set(i, single(from, to, i, onConflict, false)); // missing, or no longer here
                continue;
            }
            payloads[i] = bytes;
            expiries[i] = (Long) snapshot.get(2 * j + 1);
            String owner = topology.ownerOf(KeySlot.of(to.get(i)));
            if (owner == null) {
                outcomes.set(i, single(from, to, i, onConflict, false));
            } else {
                byTarget.computeIfAbsent(owner, t -> new ArrayList<>()).add(i);
            }
        }
        List<Integer> restored = new ArrayList<>();
        // every target node restores its share at the same time
        Map<String, CompletableFuture<List<Object>>> restoring = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> target : byTarget.entrySet()) {
            List<Integer> keys = target.getValue();
            List<byte[]> args = args(replaceFlag(onConflict), keys,
                    i -> List.of(to.get(i), bytes(Long.toString(expiries[i])), payloads[i]));
            restoring.put(target.getKey(), send(access.connection(topology.node(target.getKey())).async(),
                    RESTORE_MANY, args));
        }
        for (Map.Entry<String, List<Integer>> target : byTarget.entrySet()) {
            List<Integer> keys = target.getValue();
            List<Object> results;
            try {
                results = await(restoring.get(target.getKey()));
            } catch (CompletionException e) {
                // unknown which copies were made: one by one, none as ours (see the end of this method)
                continue;
            }
            for (int j = 0; j < keys.size(); j++) {
                int i = keys.get(j);
                if ((Long) results.get(j) == 1) {
                    restored.add(i);
                    copied[i] = true;
                } else {
                    // taken (the policy decides, on a fresh read) or failed (e.g. the slot moved): one by one
                    outcomes.set(i, single(from, to, i, onConflict, false));
                }
            }
        }
        hook.at(Retag.Hook.Point.COPIED, source);
        if (!restored.isEmpty()) {
            List<Object> deleted = run(src, DELETE_MANY, args(List.of(), restored, i -> List.of(from.get(i), payloads[i],
                    bytes(Long.toString(expiries[i])))));
            for (int j = 0; j < restored.size(); j++) {
                int i = restored.get(j);
                long result = (Long) deleted.get(j);
                outcomes.set(i, result == 1 ? CompletableFuture.completedFuture(Outcome.MOVED)
                        : result == 0 ? single.discardCopyAsync(to.get(i), payloads[i]).toCompletableFuture()
                        // changed since it was read: the copy under the new name is ours, copy again
                        : single(from, to, i, onConflict, true));
            }
        }
    }

    private CompletableFuture<Outcome> single(List<byte[]> from, List<byte[]> to, int i, OnConflict onConflict,
            boolean ours) {
        return single.moveAsync(from.get(i), to.get(i), onConflict, ours).toCompletableFuture();
    }

    /** {@code head}, then what {@code of} gives for each of {@code indexes}: a script's ARGV. */
    private static List<byte[]> args(List<byte[]> head, List<Integer> indexes,
            java.util.function.IntFunction<List<byte[]>> of) {
        List<byte[]> args = new ArrayList<>(head);
        for (int i : indexes) {
            args.addAll(of.apply(i));
        }
        return args;
    }

    /** The first argument of the scripts that write new names: whether to overwrite one that is taken. */
    private static List<byte[]> replaceFlag(OnConflict onConflict) {
        return List.of(bytes(onConflict == OnConflict.REPLACE ? "1" : "0"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Runs {@code script} with no keys and {@code args} on one node, by EVALSHA first; waits for the reply. */
    private static List<Object> run(RedisAsyncCommands<byte[], byte[]> node, String script, List<byte[]> args) {
        return await(send(node, script, args));
    }

    /** Sends {@code script} with no keys and {@code args} to one node; see {@link Scripts#run}. */
    private static CompletableFuture<List<Object>> send(RedisAsyncCommands<byte[], byte[]> node, String script,
            List<byte[]> args) {
        return Scripts.run(node, script, ScriptOutputType.MULTI, new byte[0][], args.toArray(new byte[0][]));
    }

    /**
     * The reply.
     *
     * @throws CompletionException wrapping the command's failure
     * @throws RewriteException {@link RewriteErrorCode#INTERRUPTED} if interrupted while waiting
     */
    private static <T> T await(CompletableFuture<T> reply) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RewriteException(RewriteErrorCode.INTERRUPTED, "interrupted; what was done is kept; run the"
                    + " retag again to continue");
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }
}
