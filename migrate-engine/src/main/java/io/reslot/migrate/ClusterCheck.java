package io.reslot.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.reslot.migrate.CheckReport.Kind;
import io.reslot.migrate.CheckReport.OpenSlot;
import io.reslot.migrate.CheckReport.Problem;
import io.reslot.migrate.internal.RedisErrors;
import io.reslot.slot.SlotSet;

/**
 * Reads the state of a cluster: {@link #nodes(ClusterAccess)} lists the nodes with their key counts,
 * {@link #check(ClusterAccess)} looks for what is wrong. Both only read; neither changes the cluster.
 */
public final class ClusterCheck {

    /**
     * Masters whose slots are counted at once; each has up to 16384 {@code COUNTKEYSINSLOT} replies in flight, so
     * this bounds the memory a check of a large cluster needs.
     */
    private static final int MASTERS_AT_ONCE = 16;

    private ClusterCheck() {
    }

    /**
     * Every node of the cluster, as {@link ClusterAccess#topology()} merges them, with the key count
     * ({@code DBSIZE}) of each node that answers.
     *
     * @throws MigrateException {@link MigrateErrorCode#UNREACHABLE} if no node answers, or as for
     *     {@link ClusterAccess#topology()}
     */
    public static NodesReport nodes(ClusterAccess cluster) {
        Topology topology = cluster.topology();
        Set<String> answered = answered(topology);
        Map<NodeInfo, RedisFuture<Long>> sizes = new LinkedHashMap<>();
        for (NodeInfo node : topology.nodes()) {
            if (answered.contains(node.id())) {
                try {
                    sizes.put(node, async(cluster, node).dbsize());
                } catch (MigrateException e) {
                    // went away since it answered CLUSTER NODES: its key count is unknown, which the report shows
                }
            }
        }
        List<NodesReport.Node> nodes = new ArrayList<>();
        for (NodeInfo node : topology.nodes()) {
            RedisFuture<Long> size = sizes.get(node);
            Long keys = null;
            if (size != null) {
                try {
                    keys = await(size, node);
                } catch (MigrateException e) {
                    // as above
                }
            }
            nodes.add(NodesReport.Node.of(node, answered.contains(node.id()), keys));
        }
        return new NodesReport(nodes);
    }

    /**
     * Checks the cluster for the problems of {@link Kind}: views that disagree, nodes that do not answer or that
     * others flag as failing or incomplete, slots no master serves, open slots (with both sides and their key
     * counts), and keys a master holds in slots it does not serve ({@code CLUSTER COUNTKEYSINSLOT} for every such
     * slot, pipelined per master). A node that stops answering during the check is reported as
     * {@link Kind#NODE_UNREACHABLE}, not thrown.
     *
     * @throws MigrateException {@link MigrateErrorCode#UNREACHABLE} if no node answers, or as for
     *     {@link ClusterAccess#topology()}
     */
    public static CheckReport check(ClusterAccess cluster) {
        Topology topology = cluster.topology();
        Set<String> answered = answered(topology);
        List<Problem> problems = new ArrayList<>();
        for (String difference : topology.disagreements()) {
            problems.add(problem(Kind.VIEWS_DISAGREE, SlotSet.empty(), List.of(), "views differ: " + difference));
        }
        nodeProblems(topology, answered, problems);
        SlotSet uncovered = topology.uncovered();
        if (!uncovered.isEmpty()) {
            problems.add(problem(Kind.UNCOVERED_SLOTS, uncovered, List.of(), uncovered.size()
                    + (uncovered.size() == 1 ? " slot is" : " slots are") + " served by no master: " + uncovered));
        }
        openSlots(cluster, topology, answered, problems);
        keysInUnownedSlots(cluster, topology, answered, problems);
        problems.sort((a, b) -> a.kind().compareTo(b.kind())); // stable: keeps the order found within a kind
        return new CheckReport(topology.nodes().size(), topology.masters().size(), answered.size(), problems);
    }

    /** The ids of the nodes that printed a view: each view's {@code myself} line. */
    private static Set<String> answered(Topology topology) {
        Set<String> ids = new LinkedHashSet<>();
        for (List<NodeInfo> view : topology.views().values()) {
            view.stream().filter(NodeInfo::isMyself).forEach(n -> ids.add(n.id()));
        }
        return ids;
    }

    private static void nodeProblems(Topology topology, Set<String> answered, List<Problem> problems) {
        for (NodeInfo node : topology.nodes()) {
            CheckReport.Node ref = CheckReport.Node.of(node);
            List<CheckReport.Node> it = List.of(ref);
            SlotSet served = node.isMaster() ? node.slots() : SlotSet.empty();
            String serving = served.isEmpty() ? ""
                    : "; it serves " + served.size() + " slots (" + Tables.abbreviate(served.toString()) + ")";
            if (node.isIncomplete()) {
                problems.add(problem(Kind.NODE_INCOMPLETE, SlotSet.empty(), it, ref + " is "
                        + (node.flags().contains("handshake") ? "still in handshake" : "known without an address")
                        + " (flags " + String.join(",", new TreeSet<>(node.flags())) + ")"));
                continue;
            }
            if (!answered.contains(node.id())) {
                problems.add(problem(Kind.NODE_UNREACHABLE, served, it,
                        ref + " did not answer" + serving));
            }
            List<String> flaggedBy = new ArrayList<>();
            for (Map.Entry<String, List<NodeInfo>> view : topology.views().entrySet()) {
                for (NodeInfo line : view.getValue()) {
                    if (line.id().equals(node.id()) && !line.isMyself() && line.isFailing()) {
                        flaggedBy.add(view.getKey() + (line.flags().contains("fail") ? " (fail)" : " (fail?)"));
                    }
                }
            }
            if (!flaggedBy.isEmpty()) {
                problems.add(problem(Kind.NODE_FAILING, served, it, ref
                        + " is flagged failing by " + flaggedBy.size() + " of " + answered.size() + " answering nodes: "
                        + String.join(", ", flaggedBy) + serving));
            }
        }
    }

    private static void openSlots(ClusterAccess cluster, Topology topology, Set<String> answered,
            List<Problem> problems) {
        // One entry per (slot, source, target), so that the two sides of one move make one problem.
        Map<List<Object>, boolean[]> moves = new LinkedHashMap<>();
        for (NodeInfo node : topology.nodes()) {
            // a target that failed over mid-move: finish on its successor, which holds what it had received
            node.migrating().forEach((slot, to) -> moves.computeIfAbsent(List.of(slot, node.id(),
                    topology.successor(to)), k -> new boolean[2])[0] = true);
            node.importing().forEach((slot, from) -> moves.computeIfAbsent(List.of(slot, from, node.id()),
                    k -> new boolean[2])[1] = true);
        }
        for (Map.Entry<List<Object>, boolean[]> move : moves.entrySet()) {
            int slot = (Integer) move.getKey().get(0);
            NodeInfo source = known(topology, (String) move.getKey().get(1));
            NodeInfo target = known(topology, (String) move.getKey().get(2));
            boolean migrating = move.getValue()[0];
            boolean importing = move.getValue()[1];
            Long sourceKeys = countKeys(cluster, source, slot, answered);
            Long targetKeys = countKeys(cluster, target, slot, answered);
            OpenSlot open = new OpenSlot(slot, CheckReport.Node.of(source), migrating, sourceKeys,
                    CheckReport.Node.of(target), importing, targetKeys, topology.ownerOf(slot));
            problems.add(new Problem(Kind.OPEN_SLOT, SlotSet.of(slot), List.of(open.source(), open.target()), open,
                    null, describe(open)));
        }
    }

    private static String describe(OpenSlot open) {
        String sides;
        if (open.migrating() && open.importing()) {
            sides = "is MIGRATING on " + open.source() + " and IMPORTING on " + open.target();
        } else if (open.migrating()) {
            sides = "is MIGRATING on " + open.source() + " to " + open.target() + ", which is not importing it";
        } else {
            sides = "is IMPORTING on " + open.target() + " from " + open.source() + ", which is not migrating it";
        }
        return "slot " + open.slot() + " " + sides + "; keys: " + count(open.sourceKeys()) + " on the source, "
                + count(open.targetKeys()) + " on the target";
    }

    private static String count(Long keys) {
        return keys == null ? "unknown" : keys.toString();
    }

    private static void keysInUnownedSlots(ClusterAccess cluster, Topology topology, Set<String> answered,
            List<Problem> problems) {
        List<NodeInfo> masters = topology.masters().stream().filter(m -> answered.contains(m.id()))
                .collect(Collectors.toList());
        for (int from = 0; from < masters.size(); from += MASTERS_AT_ONCE) {
            Map<NodeInfo, int[]> slotsOf = new LinkedHashMap<>();
            Map<NodeInfo, List<RedisFuture<Long>>> counts = new LinkedHashMap<>();
            for (NodeInfo master : masters.subList(from, Math.min(from + MASTERS_AT_ONCE, masters.size()))) {
                // Slots it is importing hold keys by design; the open-slot problem reports their counts.
                int[] slots = master.slots().union(SlotSet.of(toInts(master.importing().keySet()))).complement()
                        .toArray();
                try {
                    RedisAsyncCommands<byte[], byte[]> async = async(cluster, master);
                    List<RedisFuture<Long>> futures = new ArrayList<>(slots.length);
                    for (int slot : slots) {
                        futures.add(async.clusterCountKeysInSlot(slot));
                    }
                    slotsOf.put(master, slots);
                    counts.put(master, futures);
                } catch (MigrateException e) {
                    problems.add(unreachable(master, e));
                }
            }
            for (Map.Entry<NodeInfo, List<RedisFuture<Long>>> entry : counts.entrySet()) {
                NodeInfo master = entry.getKey();
                int[] slots = slotsOf.get(master);
                SortedMap<Integer, Long> found = new TreeMap<>();
                try {
                    for (int i = 0; i < slots.length; i++) {
                        long keys = await(entry.getValue().get(i), master);
                        if (keys > 0) {
                            found.put(slots[i], keys);
                        }
                    }
                } catch (MigrateException e) {
                    problems.add(unreachable(master, e));
                    continue;
                }
                if (!found.isEmpty()) {
                    SlotSet where = SlotSet.of(toInts(found.keySet()));
                    long total = found.values().stream().mapToLong(Long::longValue).sum();
                    problems.add(new Problem(Kind.KEYS_IN_UNOWNED_SLOTS, where, List.of(CheckReport.Node.of(master)),
                            null, found, CheckReport.Node.of(master) + " holds " + total
                            + (total == 1 ? " key" : " keys") + " in " + where.size() + (where.size() == 1 ? " slot" : " slots")
                            + " it does not serve: " + perSlot(found)));
                }
            }
        }
    }

    /** {@code 100 (3), 200 (1)}, the first few. */
    private static String perSlot(SortedMap<Integer, Long> counts) {
        String listed = counts.entrySet().stream().limit(5).map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        return counts.size() > 5 ? listed + ", ..." : listed;
    }

    private static Problem unreachable(NodeInfo node, MigrateException e) {
        return problem(Kind.NODE_UNREACHABLE, SlotSet.empty(), List.of(CheckReport.Node.of(node)),
                CheckReport.Node.of(node) + " stopped answering during the check, so its keys were not counted: "
                        + e.getMessage());
    }

    private static Long countKeys(ClusterAccess cluster, NodeInfo node, int slot, Set<String> answered) {
        if (!answered.contains(node.id())) {
            return null;
        }
        try {
            return await(async(cluster, node).clusterCountKeysInSlot(slot), node);
        } catch (MigrateException e) {
            return null;
        }
    }

    /** The node with {@code id}, or a stand-in without an address when no view lists it. */
    private static NodeInfo known(Topology topology, String id) {
        return topology.nodes().stream().filter(n -> n.id().equals(id)).findFirst()
                .orElseGet(() -> new NodeInfo(id, "", 0, Set.of("noaddr"), null, 0, false, SlotSet.empty(),
                        new TreeMap<>(), new TreeMap<>()));
    }

    private static RedisAsyncCommands<byte[], byte[]> async(ClusterAccess cluster, NodeInfo node) {
        return cluster.connection(node).async();
    }

    /**
     * Waits for a reply.
     *
     * @throws MigrateException as {@link ClusterAccess} classifies the failure; {@link MigrateErrorCode#STOPPED}
     *     if the thread is interrupted
     */
    private static long await(RedisFuture<Long> reply, NodeInfo node) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrateException(MigrateErrorCode.STOPPED, "interrupted while reading " + node.address(), e);
        } catch (ExecutionException e) {
            RedisException cause = e.getCause() instanceof RedisException r ? r : new RedisException(e.getCause());
            throw RedisErrors.classify(node.address(), cause);
        }
    }

    private static int[] toInts(Set<Integer> slots) {
        return slots.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Problem problem(Kind kind, SlotSet slots, List<CheckReport.Node> nodes, String message) {
        return new Problem(kind, slots, nodes, null, null, message);
    }
}
