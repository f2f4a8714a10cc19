package io.reslot.sandbox.internal;

import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides whether a cluster is ready from what its running nodes report. Pure: the caller queries the nodes.
 *
 * <p>Ready means, for every running node: {@code cluster_state:ok}; it knows every other running node, and sees
 * none of them as {@code fail}, {@code fail?}, {@code handshake} or {@code noaddr}; its view of roles, masters and
 * slot owners equals every other running node's view; all 16384 slots are served by running masters; and, if it
 * is a replica of a running master, its replication link is up. Nodes that are not running (killed, paused) are
 * not asked, and how others flag them does not matter.
 */
public final class Readiness {
    private Readiness() {
    }

    /**
     * What one running node reported.
     *
     * @param label        how to name the node in messages, e.g. {@code 127.0.0.1:7001}
     * @param id           its node id
     * @param clusterInfo  reply of {@code CLUSTER INFO}
     * @param clusterNodes reply of {@code CLUSTER NODES}
     * @param replication  reply of {@code INFO replication}
     */
    public record Report(String label, String id, String clusterInfo, String clusterNodes, String replication) {
    }

    /**
     * @param reports one per running node, none missing
     * @return empty when ready, otherwise the first reason it is not, naming the node
     */
    public static Optional<String> problem(List<Report> reports) {
        if (reports.isEmpty()) {
            return Optional.of("no node is running");
        }
        Map<String, String> labels = new HashMap<>();
        reports.forEach(r -> labels.put(r.id(), r.label()));
        Set<String> running = labels.keySet();
        Map<String, Placement> reference = null;
        String referenceLabel = null;
        for (Report report : reports) {
            String state = field(report.clusterInfo(), "cluster_state");
            if (!"ok".equals(state)) {
                return Optional.of(report.label() + " reports cluster_state:" + state);
            }
            List<NodeEntry> view = NodeEntry.parseAll(report.clusterNodes());
            Map<String, NodeEntry> byId = new HashMap<>();
            view.forEach(e -> byId.put(e.id(), e));
            for (String id : running) {
                NodeEntry entry = byId.get(id);
                if (entry == null) {
                    return Optional.of(report.label() + " does not know " + labels.get(id) + " (" + id + ") yet");
                }
                String trouble = entry.troubleFlag();
                if (trouble != null) {
                    return Optional.of(report.label() + " sees " + labels.get(id) + " as " + trouble);
                }
                if (!entry.isMyself() && !"connected".equals(entry.linkState())) {
                    return Optional.of(report.label() + " has no link to " + labels.get(id));
                }
            }
            Map<String, Placement> signature = signature(view);
            if (reference == null) {
                reference = signature;
                referenceLabel = report.label();
                int served = served(view, running);
                if (served != SlotRanges.SLOTS) {
                    return Optional.of(report.label() + " sees only " + served + " of " + SlotRanges.SLOTS
                            + " slots served by running masters");
                }
            } else if (!reference.equals(signature)) {
                return Optional.of(report.label() + " and " + referenceLabel + " disagree on "
                        + difference(reference, signature, labels));
            }
            NodeEntry myself = byId.get(report.id());
            if (myself.isReplica() && running.contains(myself.masterId())
                    && !"up".equals(field(report.replication(), "master_link_status"))) {
                return Optional.of(report.label() + " (replica of " + labels.get(myself.masterId())
                        + ") has master_link_status:" + field(report.replication(), "master_link_status"));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the nodes have met: every node knows every other node and none is still in handshake.
     *
     * @param reports one per running node
     * @return empty when joined, otherwise the first node that is not, and why
     */
    public static Optional<String> joinProblem(List<Report> reports) {
        for (Report report : reports) {
            List<NodeEntry> view = NodeEntry.parseAll(report.clusterNodes());
            for (NodeEntry entry : view) {
                if (entry.flags().contains("handshake")) {
                    return Optional.of(report.label() + " is still in handshake with " + entry.host() + ":"
                            + entry.port());
                }
            }
            for (Report other : reports) {
                if (view.stream().noneMatch(e -> e.id().equals(other.id()))) {
                    return Optional.of(report.label() + " does not know " + other.label() + " yet");
                }
            }
        }
        return Optional.empty();
    }

    /** @return the value of {@code name:value} in an INFO-style reply, or {@code "?"} */
    public static String field(String info, String name) {
        if (info != null) {
            String prefix = name + ":";
            for (String line : info.split("\r?\n")) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).trim();
                }
            }
        }
        return "?";
    }

    private record Placement(boolean master, String masterId, BitSet slots) {
    }

    /** Role, master and slots of every node except those in handshake (whose ids are temporary). */
    private static Map<String, Placement> signature(Collection<NodeEntry> view) {
        Map<String, Placement> signature = new TreeMap<>();
        for (NodeEntry e : view) {
            if (!e.flags().contains("handshake")) {
                signature.put(e.id(), new Placement(e.isMaster(), e.masterId(), e.slots()));
            }
        }
        return signature;
    }

    private static int served(Collection<NodeEntry> view, Set<String> running) {
        BitSet slots = new BitSet(SlotRanges.SLOTS);
        for (NodeEntry e : view) {
            if (e.isMaster() && running.contains(e.id())) {
                slots.or(e.slots());
            }
        }
        return slots.cardinality();
    }

    private static String difference(Map<String, Placement> a, Map<String, Placement> b,
                                     Map<String, String> labels) {
        TreeMap<String, Placement> all = new TreeMap<>(a);
        b.forEach(all::putIfAbsent);
        for (String id : all.keySet()) {
            if (!Objects.equals(a.get(id), b.get(id))) {
                return "node " + labels.getOrDefault(id, id);
            }
        }
        return "the node set";
    }
}
