package io.reslot.rewrite;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.slot.KeySlot;
import io.reslot.slot.SlotTags;

/**
 * What the moves of one journaled page did, recorded where they did it: the new names that hold a copy this retag
 * made, and the old names it deleted. A run started again after a stop needs both to finish the page: a key found
 * under both names is its own unfinished copy (replace it with the old key) only if the copy is recorded and the
 * delete is not; an old name whose delete is recorded was moved, and what is there now a client wrote since (leave
 * both keys); a new name with no copy recorded belongs to someone else (a conflict, as the policy says). Nothing in
 * the keys themselves tells these apart.
 *
 * <p>Each record is written by the very script that makes the change, on the node that makes it (the journal's
 * {@code {reslot}} node is usually another one): before it changes anything (a script whose record no key takes
 * changes nothing), and corrected before it ends to what it did. So a killed run leaves no delete unrecorded, and no
 * copy recorded that it did not make. One record per script call, not per key: {@code HSET <ledger key> <field>
 * <names>} and a {@code PEXPIRE}, where the field is unique to the call and says what it records ({@code c}: copies,
 * by new name; {@code d}: deletes, by old name) and the names are encoded as in the {@link Journal}.
 *
 * <p>A ledger key, {@code reslot:retag:ledger:{<tag>}:<page id>}, is a key of the users' slots, hash-tagged into a
 * slot the node serves ({@link SlotTags#tagFor}): first the slot the page's journal names for that node (one per
 * master, chosen when the page started), then the slots of the first keys the script touches. A slot being moved
 * away refuses a key its node does not hold yet, so a script tries these in turn; the run started again reads every
 * one of them, for the journal's slots and every old and new name of the page. The keys are deleted once the page's
 * checkpoint deleted its journal; a run that dies leaves them to expire after {@link #TTL} (longer than any pause
 * between a stop and the next run is expected to be; should they expire first, nothing is known to be the run's own,
 * and every key of the page found under both names is a conflict, for the policy to decide).
 */
final class Ledger {

    /** How every ledger key's name starts. */
    static final String PREFIX = "reslot:retag:ledger:";
    /** How long a ledger key outlives its last write, a safety net for runs that die. */
    static final Duration TTL = Duration.ofDays(7);
    /** What a script's ARGV starts with when it keeps no ledger: no field, no names, no key. */
    static final List<byte[]> NONE = List.of(new byte[0], new byte[0], bytes("0"));

    /**
     * Lua that reads the ledger's arguments at the start of ARGV (the field; the names of every key the script may
     * change, encoded as in the {@link Journal}, by the caller, so that the script need not build the record; the
     * number of keys to try, and the keys; the script's own arguments start after {@code base}) and defines:
     * <ul>
     *   <li>{@code record()}: writes the names in the first of those keys this node takes, and returns its number, 0
     *       if there is no ledger or no name, -1 if no key took them;</li>
     *   <li>{@code correct(c, out, first, step)}: after {@code record()} returned {@code c}, and the script's
     *       reply {@code out} has 1 for each key it changed, writes over the record the names of those, when it did
     *       not change them all; key {@code j} is {@code ARGV[first + step * (j - 1)]};</li>
     *   <li>{@code unrecorded(n, code)}: the reply of a script that changed nothing because no key took its record:
     *       {@code code} for each of its {@code n} keys, then -1.</li>
     * </ul>
     * A script records what it is about to do, does it, and corrects the record when some keys could not be done:
     * scripts are atomic, so no one sees the record before the correction, and the keys are changed one by one in
     * the order they are checked (a delete right after its key was read, while the node has it at hand).
     */
    static final String FUNCTION = """
            local ledger_field, ledger_names, ledger_keys = ARGV[1], ARGV[2], tonumber(ARGV[3])
            local base = 3 + ledger_keys
            local function record()
              if ledger_field == '' or ledger_names == '' then return 0 end
              for c = 1, ledger_keys do
                if pcall(redis.call, 'HSET', ARGV[3 + c], ledger_field, ledger_names) then
                  redis.call('PEXPIRE', ARGV[3 + c], '%d')
                  return c
                end
              end
              return -1
            end
            local function correct(c, out, first, step)
              if c <= 0 then return end
              local all = true
              for j = 1, #out do all = all and out[j] == 1 end
              if all then return end
              local parts, k = {}, 0
              for j = 1, #out do
                if out[j] == 1 then
                  local name = ARGV[first + step * (j - 1)]
                  parts[k + 1], parts[k + 2], parts[k + 3] = #name, ':', name
                  k = k + 3
                end
              end
              redis.call('HSET', ARGV[3 + c], ledger_field, table.concat(parts))
            end
            local function unrecorded(n, code)
              local out = {}
              for i = 1, n do out[i] = code end
              out[n + 1] = -1
              return out
            end
            """.formatted(TTL.toMillis());

    /** Keys a script call tries beyond its node's journaled slot: the slots of the first few keys it touches. */
    private static final int KEY_SLOTS_TRIED = 3;

    private final String pageId;
    private final List<Integer> slots;
    /** Node id → its slot among {@link #slots}, as the topology the run started with says. */
    private final Map<String, Integer> slotOf = new HashMap<>();
    private final Topology topology;
    /** Makes fields unique across the runs that write to one page's ledger. */
    private final String run = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final AtomicLong calls = new AtomicLong();
    /** Ledger keys that may exist: what {@link #clear} deletes. */
    private final Set<ByteBuffer> written = ConcurrentHashMap.newKeySet();

    private Ledger(String pageId, List<Integer> slots, Topology topology) {
        this.pageId = pageId;
        this.slots = List.copyOf(slots);
        this.topology = topology;
        for (int slot : slots) {
            String owner = topology.ownerOf(slot);
            if (owner != null) {
                slotOf.putIfAbsent(owner, slot);
            }
        }
    }

    /** A new page's ledger, its records going first to one slot of each master, none of them open. */
    static Ledger start(Topology topology) {
        List<Integer> slots = new ArrayList<>();
        for (NodeInfo master : topology.masters()) {
            master.slots().stream().filter(s -> !master.migrating().containsKey(s) && !master.importing().containsKey(s))
                    .findFirst().ifPresent(slots::add);
        }
        String pageId = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        return new Ledger(pageId, slots, topology);
    }

    /** The ledger {@code journal} names, to read and to add to; {@code null} if it names none. */
    static Ledger of(Journal journal, Topology topology) {
        return journal.pageId() == null ? null : new Ledger(journal.pageId(), journal.slots(), topology);
    }

    /** The journal of a page of {@code names} that keeps this ledger. */
    Journal journal(List<byte[]> names) {
        return new Journal(pageId, slots, names);
    }

    /**
     * The head of the ARGV of a script that runs on node {@code nodeId} and records {@code kind} ({@code 'c'} copies,
     * {@code 'd'} deletes) for some of {@code keys}, all of them keys that node serves: every one it may change.
     */
    List<byte[]> head(char kind, String nodeId, List<byte[]> keys) {
        Set<Integer> tried = new LinkedHashSet<>();
        Integer own = slotOf.get(nodeId);
        if (own != null) {
            tried.add(own);
        }
        for (int i = 0; i < keys.size() && i < KEY_SLOTS_TRIED; i++) {
            tried.add(KeySlot.of(keys.get(i)));
        }
        return head(kind, keys, tried);
    }

    /**
     * The head of the ARGV of a one-key script that records {@code kind} for {@code key}, on the node serving it: the
     * journaled slot of the node the run's topology says serves it, then the key's own slot (where the key's node is
     * another now, or that slot is being moved).
     */
    List<byte[]> head(char kind, byte[] key) {
        Set<Integer> tried = new LinkedHashSet<>();
        int slot = KeySlot.of(key);
        String owner = topology.ownerOf(slot);
        if (owner != null && slotOf.containsKey(owner)) {
            tried.add(slotOf.get(owner));
        }
        tried.add(slot);
        return head(kind, List.of(key), tried);
    }

    private List<byte[]> head(char kind, List<byte[]> keys, Set<Integer> tried) {
        List<byte[]> head = new ArrayList<>(3 + tried.size());
        head.add(bytes(kind + run + ":" + calls.incrementAndGet()));
        head.add(Journal.encodeNames(keys));
        head.add(bytes(Integer.toString(tried.size())));
        tried.forEach(slot -> head.add(key(slot)));
        return head;
    }

    /** A script with {@code head} reported writing its {@code index}th key (1-based; 0 or less: none). */
    void wrote(List<byte[]> head, long index) {
        if (index > 0) {
            written.add(ByteBuffer.wrap(head.get(2 + (int) index)));
        }
    }

    /** A one-key script with {@code head} recorded its change, in one of the keys it tried. */
    void wroteAny(List<byte[]> head) {
        for (int i = 3; i < head.size(); i++) {
            written.add(ByteBuffer.wrap(head.get(i)));
        }
    }

    /** The ledger key in {@code slot}. */
    byte[] key(int slot) {
        return bytes(PREFIX + "{" + SlotTags.tagFor(slot) + "}:" + pageId);
    }

    /** What a run recorded for the page: copies by new name, deletes by old name. */
    record Entries(Set<ByteBuffer> copied, Set<ByteBuffer> deleted) {

        boolean copied(byte[] newName) {
            return copied.contains(ByteBuffer.wrap(newName));
        }

        boolean deleted(byte[] oldName) {
            return deleted.contains(ByteBuffer.wrap(oldName));
        }
    }

    /**
     * Reads every ledger key the page's moves of {@code from} to {@code to} may have written, pipelined through the
     * slot-routed connection.
     *
     * @throws RewriteException {@link RewriteErrorCode#STOPPED} if a record is not names, or a read failed
     */
    Entries read(RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis, List<byte[]> from, List<byte[]> to) {
        Set<Integer> tried = new LinkedHashSet<>(slots);
        from.forEach(name -> tried.add(KeySlot.of(name)));
        to.forEach(name -> tried.add(KeySlot.of(name)));
        Map<Integer, RedisFuture<Map<byte[], byte[]>>> replies = new HashMap<>();
        tried.forEach(slot -> replies.put(slot, redis.hgetall(key(slot))));
        Set<ByteBuffer> copied = new HashSet<>();
        Set<ByteBuffer> deleted = new HashSet<>();
        for (Map.Entry<Integer, RedisFuture<Map<byte[], byte[]>>> reply : replies.entrySet()) {
            Map<byte[], byte[]> records = await(reply.getValue());
            if (!records.isEmpty()) {
                written.add(ByteBuffer.wrap(key(reply.getKey())));
            }
            records.forEach((field, names) -> {
                Set<ByteBuffer> into = field.length > 0 && field[0] == 'c' ? copied : deleted;
                Journal.decodeNames(names, 0).forEach(name -> into.add(ByteBuffer.wrap(name)));
            });
        }
        return new Entries(copied, deleted);
    }

    /** Deletes this ledger's keys in its journaled slots and in the slots of {@code names}, as {@link #clear} does. */
    void discard(RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis, List<byte[]> names) {
        Set<Integer> tried = new LinkedHashSet<>(slots);
        names.forEach(name -> tried.add(KeySlot.of(name)));
        tried.forEach(slot -> written.add(ByteBuffer.wrap(key(slot))));
        clear(redis);
    }

    /**
     * Deletes the ledger keys this run wrote or read, once nothing needs them (the page's journal is gone), and waits.
     * A failure is ignored: the keys expire.
     */
    void clear(RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis) {
        try {
            clearAsync(redis).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("clearAsync completes normally", e);
        }
    }

    /** {@link #clear}, without waiting: the stage completes, normally, once every delete is answered. */
    CompletableFuture<Void> clearAsync(RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis) {
        List<CompletableFuture<Long>> deletes = new ArrayList<>();
        for (ByteBuffer key : written) {
            deletes.add(redis.del(key.array()).toCompletableFuture().exceptionally(e -> 0L)); // left to expire
        }
        written.clear();
        return CompletableFuture.allOf(deletes.toArray(new CompletableFuture<?>[0]));
    }

    private static <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RewriteException(RewriteErrorCode.INTERRUPTED, "interrupted while reading the retag's ledger;"
                    + " nothing was changed; run the retag again");
        } catch (ExecutionException e) {
            throw new RewriteException(RewriteErrorCode.STOPPED, "reading the retag's ledger (" + PREFIX + "*) failed: "
                    + Scripts.unwrap(e.getCause()).getMessage() + "; nothing was changed; run the retag again",
                    e.getCause());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
