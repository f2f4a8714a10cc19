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
     * ARGV after the ledger's: replace flag, then (name, absolute expiry or -1, payload) triples; per key 1 restored,
     * 0 taken, -1 failed (or not recorded: nothing is restored that the ledger cannot list); then the number of the
     * ledger key written.
     */
    private static final String RESTORE_MANY = Ledger.FUNCTION + KeyMove.RESTORE_FUNCTION + """
            local written = record()
            if written < 0 then return unrecorded((#ARGV - base - 1) / 3, -1) end
            local out = {}
            local replace = ARGV[base + 1] == '1'
            for i = base + 2, #ARGV, 3 do
              out[#out + 1] = restore(ARGV[i], ARGV[i + 1], ARGV[i + 2], replace)
            end
            correct(written, out, base + 2, 3)
            out[#out + 1] = written
            return out
            """;

    /**
     * ARGV after the ledger's: (name, payload, expiry) triples; per key 1 deleted, 0 gone, -1 changed (or not served
     * here, or not recorded: nothing is deleted that the ledger cannot list); then the number of the ledger key
     * written.
     */
    private static final String DELETE_MANY = Ledger.FUNCTION + KeyMove.EXPIRY_FUNCTION + """
            local written = record()
            if written < 0 then return unrecorded((#ARGV - base) / 3, -1) end
            local out = {}
            for i = base + 1, #ARGV, 3 do
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
            correct(written, out, base + 1, 3)
            out[#out + 1] = written
            return out
            """;

    /**
     * ARGV after the ledger's: replace flag, then (old name, new name) pairs, both served by this node; per key 1
     * moved, 0 missing, -1 new name taken, -2 failed (e.g. no longer served here, or not recorded: nothing is moved
     * that the ledger cannot list); then the number of the ledger key written. Atomic, as every script is: nothing can
     * change a key between its copy and its delete.
     */
    private static final String MOVE_LOCAL = Ledger.FUNCTION + KeyMove.EXPIRY_FUNCTION + KeyMove.RESTORE_FUNCTION + """
            local written = record()
            if written < 0 then return unrecorded((#ARGV - base - 1) / 2, -2) end
            local out = {}
            local replace = ARGV[base + 1] == '1'
            for i = base + 2, #ARGV, 2 do
              local key = ARGV[i]
              local ok, d = pcall(redis.call, 'DUMP', key)
              if not ok then
                out[#out + 1] = -2
              elseif not d then
                out[#out + 1] = 0
              else
                local restored = restore(ARGV[i + 1], tostring(expiry(key)), d, replace)
                if restored == 1 then redis.call('DEL', key) end
                out[#out + 1] = restored == 1 and 1 or restored - 1
              end
            end
            correct(written, out, base + 2, 2)
            out[#out + 1] = written
            return out
            """;

    private final ClusterAccess access;
    private final Topology topology;
    private final KeyMove single;
    private final Retag.Hook hook;

    BatchMove(ClusterAccess access, KeyMove single) {
        this(access, access.topology(), single, Retag.Hook.NONE);
    }

    /** @param topology who serves which slot: where each key's scripts are sent */
    BatchMove(ClusterAccess access, Topology topology, KeyMove single, Retag.Hook hook) {
        this.access = access;
        this.topology = topology;
        this.single = single;
        this.hook = hook;
    }

    /**
     * Moves {@code from.get(i)} to {@code to.get(i)} for every i; the keys were listed by {@code source}'s SCAN.
     *
     * @param ledger where each script records the copies it makes and the old names it deletes (see {@link Ledger});
     *     {@code null} for none
     * @return one stage per key, in order, each as {@link KeyMove#moveAsync} would complete it
     */
    List<CompletableFuture<Outcome>> move(NodeInfo source, List<byte[]> from, List<byte[]> to, OnConflict onConflict,
            Ledger ledger) {
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
                    outcomes.set(i, single(from, to, i, onConflict, false, ledger)); // a rename: one command
                } else if (source.id().equals(topology.ownerOf(slot))) {
                    local.add(i);
                } else {
                    batch.add(i);
                }
            }
            // sent now, read after the other keys' snapshot: the node works on both while this waits
            List<byte[]> localHead = local.isEmpty() ? null : head(ledger, 'd', source.id(), local, from);
            CompletableFuture<List<Object>> movingLocally = local.isEmpty() ? null
                    : send(src, MOVE_LOCAL, args(concat(localHead, replaceFlag(onConflict)), local,
                            i -> List.of(from.get(i), to.get(i))));
            if (!batch.isEmpty()) {
                moveAcross(source, src, from, to, onConflict, batch, outcomes, copied, ledger);
            }
            if (movingLocally != null) {
                List<Object> results = wrote(ledger, localHead, await(movingLocally));
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
            // holds a copy of ours after all, that is a conflict, and the page's ledger lets the next run finish it.
        }
        for (int i = 0; i < n; i++) {
            if (outcomes.get(i) == null) {
                outcomes.set(i, single(from, to, i, onConflict, copied[i], ledger));
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
            boolean[] copied, Ledger ledger) {
        int n = from.size();
        List<Object> snapshot = run(src, SNAPSHOT_MANY, args(List.of(), batch, i -> List.of(from.get(i))));
        byte[][] payloads = new byte[n][];
        long[] expiries = new long[n];
        Map<String, List<Integer>> byTarget = new LinkedHashMap<>(); // target node id -> keys
        for (int j = 0; j < batch.size(); j++) {
            int i = batch.get(j);
            Object payload = snapshot.get(2 * j);
            if (!(payload instanceof byte[] bytes)) {
                outcomes.set(i, single(from, to, i, onConflict, false, ledger)); // missing, or no longer here
                continue;
            }
            payloads[i] = bytes;
            expiries[i] = (Long) snapshot.get(2 * j + 1);
            String owner = topology.ownerOf(KeySlot.of(to.get(i)));
            if (owner == null) {
                outcomes.set(i, single(from, to, i, onConflict, false, ledger));
            } else {
                byTarget.computeIfAbsent(owner, t -> new ArrayList<>()).add(i);
            }
        }
        List<Integer> restored = new ArrayList<>();
        // every target node restores its share at the same time
        Map<String, CompletableFuture<List<Object>>> restoring = new LinkedHashMap<>();
        Map<String, List<byte[]>> heads = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> target : byTarget.entrySet()) {
            List<Integer> keys = target.getValue();
            List<byte[]> head = head(ledger, 'c', target.getKey(), keys, to);
            heads.put(target.getKey(), head);
            List<byte[]> args = args(concat(head, replaceFlag(onConflict)), keys,
                    i -> List.of(to.get(i), bytes(Long.toString(expiries[i])), payloads[i]));
            restoring.put(target.getKey(), send(access.connection(topology.node(target.getKey())).async(),
                    RESTORE_MANY, args));
        }
        for (Map.Entry<String, List<Integer>> target : byTarget.entrySet()) {
            List<Integer> keys = target.getValue();
            List<Object> results;
            try {
                results = wrote(ledger, heads.get(target.getKey()), await(restoring.get(target.getKey())));
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
                    outcomes.set(i, single(from, to, i, onConflict, false, ledger));
                }
            }
        }
        hook.at(Retag.Hook.Point.COPIED, source);
        if (!restored.isEmpty()) {
            List<byte[]> head = head(ledger, 'd', source.id(), restored, from);
            List<Object> deleted = wrote(ledger, head, run(src, DELETE_MANY, args(head, restored,
                    i -> List.of(from.get(i), payloads[i], bytes(Long.toString(expiries[i]))))));
            for (int j = 0; j < restored.size(); j++) {
                int i = restored.get(j);
                long result = (Long) deleted.get(j);
                outcomes.set(i, result == 1 ? CompletableFuture.completedFuture(Outcome.MOVED)
                        : result == 0 ? single.discardCopyAsync(to.get(i), payloads[i]).toCompletableFuture()
                        // changed since it was read (or its delete could not be recorded): the copy under the new
                        // name is ours, copy again
                        : single(from, to, i, onConflict, true, ledger));
            }
        }
    }

    private CompletableFuture<Outcome> single(List<byte[]> from, List<byte[]> to, int i, OnConflict onConflict,
            boolean ours, Ledger ledger) {
        return single.moveAsync(from.get(i), to.get(i), onConflict, ours, ledger).toCompletableFuture();
    }

    /**
     * The ledger's arguments for a script on node {@code nodeId} that records {@code kind} for some of the
     * {@code names} that {@code indexes} point to ({@link Ledger#NONE} without a ledger).
     */
    private static List<byte[]> head(Ledger ledger, char kind, String nodeId, List<Integer> indexes,
            List<byte[]> names) {
        if (ledger == null) {
            return Ledger.NONE;
        }
        return ledger.head(kind, nodeId, indexes.stream().map(names::get).toList());
    }

    /**
     * A script's reply without its last element, the number of the ledger key it wrote (given to the ledger): one
     * result per key.
     */
    private static List<Object> wrote(Ledger ledger, List<byte[]> head, List<Object> reply) {
        long written = (Long) reply.get(reply.size() - 1);
        if (ledger != null) {
            ledger.wrote(head, written);
        }
        return reply.subList(0, reply.size() - 1);
    }

    private static List<byte[]> concat(List<byte[]> a, List<byte[]> b) {
        List<byte[]> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
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
