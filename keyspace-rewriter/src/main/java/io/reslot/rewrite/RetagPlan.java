package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.slot.HashTag;
import io.reslot.slot.KeySlot;

/**
 * What a retag would do, found by scanning every master without changing anything: how many keys the rules match,
 * which are skipped and why, which new names collide, the largest tag groups (a tag holding a large share of the
 * keys becomes a hot slot), how the keys would spread over the masters, and how many bytes would move. Plain data,
 * serialisable with Jackson, printable as a table.
 *
 * @param scanned keys the scans returned
 * @param matched keys a rule gives a new name
 * @param alreadyTagged keys that already carry the tag their new name would have
 * @param noTag keys whose new name would have no hash tag (skipped)
 * @param targetExists keys whose new name is already taken
 * @param sharedNames new names that two or more keys would get
 * @param examples up to {@value #EXAMPLES} renamings, old name then new
 * @param largestGroups the tags with the most keys, up to {@value #GROUPS}, largest first
 * @param keysPerMaster master address to how many of the keys to rename it serves before the retag, and how many
 *     of their new names it serves after
 * @param bytesToMove the estimated bytes ({@code MEMORY USAGE}) of the matched keys whose slot changes
 */
public record RetagPlan(long scanned, long matched, long alreadyTagged, long noTag, long targetExists,
        long sharedNames, List<List<String>> examples, List<Group> largestGroups, Map<String, long[]> keysPerMaster,
        long bytesToMove) {

    /** Renamings shown. */
    static final int EXAMPLES = 5;
    /** Tag groups shown. */
    static final int GROUPS = 10;

    /**
     * One tag group: the keys that will share a slot.
     *
     * @param tag the hash tag
     * @param keys how many keys get it
     * @param bytes their estimated bytes
     */
    public record Group(String tag, long keys, long bytes) {
    }

    /** Whether a retag with these rules would rename nothing. */
    @JsonIgnore
    public boolean isEmpty() {
        return matched == 0;
    }

    /**
     * Scans every master and works out the plan; changes nothing.
     *
     * @throws RewriteException {@link RewriteErrorCode#UNREACHABLE} or {@link RewriteErrorCode#STOPPED} if the
     *     cluster cannot be read
     */
    public static RetagPlan of(ClusterAccess access, Rules rules, RetagOptions options) {
        try {
            return new Scan(access, rules, options).run();
        } catch (RedisException e) {
            throw new RewriteException(RewriteErrorCode.STOPPED, "scanning the cluster failed: " + e.getMessage(), e);
        }
    }

    /** The plan for people, ending with a newline. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%d keys scanned: %d to rename, %d already tagged, %d skipped (new name without a"
                + " tag)%n", scanned, matched, alreadyTagged, noTag));
        if (targetExists > 0 || sharedNames > 0) {
            out.append(String.format("collisions: %d new names already taken, %d new names shared by several keys%n",
                    targetExists, sharedNames));
        }
        for (List<String> example : examples) {
            out.append("  ").append(example.get(0)).append(" -> ").append(example.get(1)).append('\n');
        }
        if (!largestGroups.isEmpty()) {
            out.append("largest tag groups:\n");
            for (Group group : largestGroups) {
                out.append(String.format("  {%s}  %d keys  %d bytes%n", group.tag(), group.keys(), group.bytes()));
            }
        }
        out.append("keys per master (before -> after):\n");
        keysPerMaster.forEach((master, counts) -> out.append(String.format("  %s  %d -> %d%n", master, counts[0],
                counts[1])));
        out.append(String.format("bytes to move: %d%n", bytesToMove));
        return out.toString();
    }

    /** One scan of the cluster. */
    private static final class Scan {

        private final ClusterAccess access;
        private final Rules rules;
        private final RetagOptions options;
        private final Topology topology;
        private final RedisAdvancedClusterAsyncCommands<byte[], byte[]> keys;
        private long scanned;
        private long matched;
        private long alreadyTagged;
        private long noTag;
        private long bytesToMove;
        private final List<List<String>> examples = new ArrayList<>();
        private final Map<String, long[]> groups = new HashMap<>();
        private final Set<String> newNames = new HashSet<>();
        private final Set<String> shared = new HashSet<>();
        private final Map<String, long[]> perMaster = new TreeMap<>();
        private final List<CompletableFuture<Long>> exists = new ArrayList<>();

        Scan(ClusterAccess access, Rules rules, RetagOptions options) {
            this.access = access;
            this.rules = rules;
            this.options = options;
            this.topology = access.topology();
            this.keys = access.keys().async();
        }

        RetagPlan run() {
            for (NodeInfo master : topology.masters()) {
                perMaster.put(master.address(), new long[2]);
            }
            for (NodeInfo master : topology.masters()) {
                scan(master);
            }
            long taken = 0;
            for (CompletableFuture<Long> e : exists) {
                taken += join(e) > 0 ? 1 : 0;
            }
            List<Group> largest = groups.entrySet().stream()
                    .map(e -> new Group(e.getKey(), e.getValue()[0], e.getValue()[1]))
                    .sorted(Comparator.comparingLong(Group::keys).reversed().thenComparing(Group::tag))
                    .limit(GROUPS).toList();
            return new RetagPlan(scanned, matched, alreadyTagged, noTag, taken, shared.size(), examples, largest,
                    perMaster, bytesToMove);
        }

        private void scan(NodeInfo master) {
            RedisCommands<byte[], byte[]> node = access.connection(master).sync();
            ScanArgs args = Page.scanArgs(rules, options);
            Semaphore inFlight = new Semaphore(options.inFlight());
            ScanCursor cursor = ScanCursor.INITIAL;
            KeyScanCursor<byte[]> page;
            do {
                page = node.scan(cursor, args);
                Page sorted = Page.sort(rules, page.getKeys());
                scanned += page.getKeys().size();
                alreadyTagged += sorted.alreadyTagged();
                noTag += sorted.noTag();
                matched += sorted.from().size();
                List<CompletableFuture<Long>> sizes = new ArrayList<>();
                for (int i = 0; i < sorted.from().size(); i++) {
                    inFlight.acquireUninterruptibly(2);
                    CompletableFuture<Long> taken = keys.exists(sorted.to().get(i)).toCompletableFuture();
                    taken.whenComplete((n, e) -> inFlight.release());
                    exists.add(taken);
                    CompletableFuture<Long> size = keys.memoryUsage(sorted.from().get(i)).toCompletableFuture();
                    size.whenComplete((n, e) -> inFlight.release());
                    sizes.add(size);
                }
                for (int i = 0; i < sizes.size(); i++) {
                    count(master, sorted.from().get(i), sorted.to().get(i), join(sizes.get(i)));
                }
                cursor = page;
            } while (!page.isFinished());
        }

        private void count(NodeInfo master, byte[] oldName, byte[] newName, Long size) {
            long bytes = size == null ? 0 : size;
            String name = new String(newName, StandardCharsets.UTF_8);
            if (!newNames.add(name)) {
                shared.add(name);
            }
            if (examples.size() < EXAMPLES) {
                examples.add(List.of(new String(oldName, StandardCharsets.UTF_8), name));
            }
            long[] group = groups.computeIfAbsent(HashTag.of(name), t -> new long[2]);
            group[0]++;
            group[1] += bytes;
            int newSlot = KeySlot.of(newName);
            if (newSlot != KeySlot.of(oldName)) {
                bytesToMove += bytes;
            }
            perMaster.get(master.address())[0]++;
            String owner = topology.ownerOf(newSlot);
            NodeInfo after = owner == null ? null : topology.node(owner);
            if (after != null) {
                perMaster.computeIfAbsent(after.address(), a -> new long[2])[1]++;
            }
        }

        private static <T> T join(CompletableFuture<T> future) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RewriteException(RewriteErrorCode.INTERRUPTED, "interrupted while planning; nothing was"
                        + " changed");
            } catch (ExecutionException e) {
                return null;
            }
        }
    }
}
