package io.reslot.migrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.reslot.slot.KeySlot;
import io.reslot.slot.SlotSet;

/**
 * A cluster as its nodes describe it: the {@code CLUSTER NODES} view of every node that answered, merged into one
 * list of nodes, plus whether the views agree.
 *
 * <p>In the merged list each node is described by its own line where it answered (only a node's own line shows its
 * open slots), otherwise by the first view that lists it. Immutable.
 */
public final class Topology {

    /** Differences beyond this many are counted, not listed. */
    private static final int MAX_LISTED = 10;

    private final Map<String, List<NodeInfo>> views;
    private final List<NodeInfo> nodes;
    private final List<String> disagreements;

    private Topology(Map<String, List<NodeInfo>> views) {
        this.views = Collections.unmodifiableMap(new LinkedHashMap<>(views));
        this.nodes = merge(this.views);
        this.disagreements = compare(this.views);
    }

    /**
     * Builds the topology from each reachable node's view.
     *
     * @param views address ({@code host:port}) of the node that printed it → its parsed {@code CLUSTER NODES}
     * @throws IllegalArgumentException if {@code views} is empty
     */
    public static Topology of(Map<String, List<NodeInfo>> views) {
        if (views.isEmpty()) {
            throw new IllegalArgumentException("a topology needs the view of at least one node");
        }
        return new Topology(views);
    }

    /** Every node, ordered by address. */
    public List<NodeInfo> nodes() {
        return nodes;
    }

    /** The masters, ordered by address. */
    public List<NodeInfo> masters() {
        return nodes.stream().filter(NodeInfo::isMaster).collect(Collectors.toUnmodifiableList());
    }

    /** The replicas of {@code master}, ordered by address. */
    public List<NodeInfo> replicasOf(NodeInfo master) {
        return nodes.stream().filter(n -> master.id().equals(n.masterId())).collect(Collectors.toUnmodifiableList());
    }

    /** The view each answering node printed, by the address it was asked at. */
    public Map<String, List<NodeInfo>> views() {
        return views;
    }

    /**
     * Finds a node by id, unique id prefix, or {@code host:port}.
     *
     * @throws MigrateException {@link MigrateErrorCode#BAD_INPUT} if none or several nodes match
     */
    public NodeInfo node(String ref) {
        Objects.requireNonNull(ref, "ref");
        List<NodeInfo> matches = nodes.stream()
                .filter(n -> n.address().equals(ref) || n.id().equals(ref))
                .collect(Collectors.toList());
        if (matches.isEmpty() && !ref.isEmpty()) {
            matches = nodes.stream().filter(n -> n.id().startsWith(ref)).collect(Collectors.toList());
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new MigrateException(MigrateErrorCode.BAD_INPUT, "no node is '" + ref + "'; known: "
                    + nodes.stream().map(n -> n.id().substring(0, 8) + " " + n.address()).collect(Collectors.joining(", ")));
        }
        throw new MigrateException(MigrateErrorCode.BAD_INPUT, "'" + ref + "' matches " + matches.size()
                + " nodes (" + matches.stream().map(NodeInfo::id).collect(Collectors.joining(", "))
                + "); give more of the id");
    }

    /**
     * The master that now stands for the node {@code id}: if that node has become a replica, its master; otherwise
     * {@code id}. A master that dies is replaced by one of its replicas, which serves its slots with what had
     * replicated, and the old master comes back as that replica's replica.
     */
    public String successor(String id) {
        return nodes.stream().filter(n -> n.id().equals(id) && n.isReplica() && n.masterId() != null).findFirst()
                .flatMap(replica -> nodes.stream().filter(n -> n.id().equals(replica.masterId()) && n.isMaster())
                        .findFirst())
                .map(NodeInfo::id).orElse(id);
    }

    /** The id of the master serving {@code slot} in the merged view, or {@code null} when none does. */
    public String ownerOf(int slot) {
        for (NodeInfo node : nodes) {
            if (node.isMaster() && node.slots().contains(slot)) {
                return node.id();
            }
        }
        return null;
    }

    /** The slots no master serves in the merged view. */
    public SlotSet uncovered() {
        SlotSet covered = SlotSet.empty();
        for (NodeInfo node : nodes) {
            covered = covered.union(node.slots());
        }
        return covered.complement();
    }

    /** Whether every view lists the same nodes, with the same roles, serving the same slots. */
    public boolean agrees() {
        return disagreements.isEmpty();
    }

    /** What the views disagree on, one sentence each (at most ten, then a count); empty when they agree. */
    public List<String> disagreements() {
        return disagreements;
    }

    private static List<NodeInfo> merge(Map<String, List<NodeInfo>> views) {
        Map<String, NodeInfo> byId = new LinkedHashMap<>();
        for (List<NodeInfo> view : views.values()) {
            for (NodeInfo node : view) {
                if (node.isMyself()) {
                    byId.put(node.id(), node.withoutMyself());
                } else {
                    byId.putIfAbsent(node.id(), node);
                }
            }
        }
        List<NodeInfo> merged = new ArrayList<>(byId.values());
        merged.sort(Comparator.comparing(NodeInfo::host).thenComparingInt(NodeInfo::port).thenComparing(NodeInfo::id));
        return Collections.unmodifiableList(merged);
    }

    private static List<String> compare(Map<String, List<NodeInfo>> views) {
        List<String> differences = new ArrayList<>();
        String firstAddress = null;
        List<NodeInfo> first = null;
        String[] firstOwners = null;
        for (Map.Entry<String, List<NodeInfo>> view : views.entrySet()) {
            String[] owners = owners(view.getValue());
            if (first == null) {
                firstAddress = view.getKey();
                first = view.getValue();
                firstOwners = owners;
                continue;
            }
            Set<String> ids = ids(view.getValue());
            if (!ids.equals(ids(first))) {
                differences.add(view.getKey() + " knows nodes " + ids + ", " + firstAddress + " knows " + ids(first));
            }
            Set<String> roles = roles(view.getValue());
            if (!roles.equals(roles(first))) {
                differences.add(view.getKey() + " sees roles " + roles + ", " + firstAddress + " sees " + roles(first));
            }
            // Slots whose owner differs, grouped by the two owners seen, so a moved range is one sentence.
            Map<String, List<Integer>> bySides = new LinkedHashMap<>();
            for (int slot = 0; slot < KeySlot.SLOT_COUNT; slot++) {
                if (!Objects.equals(owners[slot], firstOwners[slot])) {
                    String sides = " served by " + shortId(owners[slot]) + ", " + firstAddress + " by "
                            + shortId(firstOwners[slot]);
                    bySides.computeIfAbsent(sides, k -> new ArrayList<>()).add(slot);
                }
            }
            for (Map.Entry<String, List<Integer>> sides : bySides.entrySet()) {
                int[] slots = sides.getValue().stream().mapToInt(Integer::intValue).toArray();
                differences.add(view.getKey() + " sees slots " + SlotSet.of(slots) + sides.getKey());
            }
        }
        if (differences.size() > MAX_LISTED) {
            int more = differences.size() - MAX_LISTED;
            differences = new ArrayList<>(differences.subList(0, MAX_LISTED));
            differences.add("and " + more + " more differences");
        }
        return Collections.unmodifiableList(differences);
    }

    private static String[] owners(List<NodeInfo> view) {
        String[] owners = new String[KeySlot.SLOT_COUNT];
        for (NodeInfo node : view) {
            for (int s = node.slots().next(0); s >= 0; s = node.slots().next(s + 1)) {
                owners[s] = node.id();
            }
        }
        return owners;
    }

    private static Set<String> ids(List<NodeInfo> view) {
        return view.stream().map(NodeInfo::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> roles(List<NodeInfo> view) {
        return view.stream()
                .map(n -> shortId(n.id()) + (n.isMaster() ? " master" : " replica of " + shortId(n.masterId())))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String shortId(String id) {
        return id == null ? "no node" : id.substring(0, Math.min(8, id.length()));
    }

    @Override
    public String toString() {
        return nodes.stream().map(NodeInfo::toString).collect(Collectors.joining("\n"))
                + (agrees() ? "" : "\ndisagreements: " + Arrays.toString(disagreements.toArray()));
    }
}
