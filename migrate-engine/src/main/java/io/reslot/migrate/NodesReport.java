package io.reslot.migrate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.reslot.migrate.internal.SlotSetJson;
import io.reslot.slot.SlotSet;

/**
 * Every node of a cluster with its role, slots, open slots and key count, as {@link ClusterCheck#nodes(ClusterAccess)}
 * reads them. Plain data: immutable, serialisable with a plain Jackson {@code ObjectMapper}.
 *
 * @param nodes every node of the merged topology, ordered by address
 */
public record NodesReport(List<Node> nodes) {

    /** Open slots listed in a table cell beyond this many are counted, not listed. */
    private static final int MAX_OPEN_LISTED = 3;

    /**
     * One node.
     *
     * @param id the node id
     * @param address {@code host:port}
     * @param role {@code master}, {@code replica}, or {@code unknown} (a node still in handshake)
     * @param master the id of its master for a replica, otherwise {@code null}
     * @param flags its flags other than the role and {@code myself}, e.g. {@code fail?}, sorted
     * @param answered whether it answered {@code CLUSTER NODES}; if not, the other fields are as others see it
     * @param slots the slots it serves
     * @param keys its number of keys ({@code DBSIZE}), {@code null} when it did not answer
     * @param migrating slot → id of the node it is moving to
     * @param importing slot → id of the node it is moving from
     */
    public record Node(String id, String address, String role, String master, Set<String> flags, boolean answered,
            @JsonSerialize(using = SlotSetJson.Writer.class) @JsonDeserialize(using = SlotSetJson.Reader.class)
            SlotSet slots,
            Long keys, SortedMap<Integer, String> migrating, SortedMap<Integer, String> importing) {

        /** @throws NullPointerException if an argument other than {@code master} or {@code keys} is null */
        public Node {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(role, "role");
            flags = Collections.unmodifiableSet(new TreeSet<>(flags));
            Objects.requireNonNull(slots, "slots");
            migrating = Collections.unmodifiableSortedMap(new TreeMap<>(migrating));
            importing = Collections.unmodifiableSortedMap(new TreeMap<>(importing));
        }

        static Node of(NodeInfo info, boolean answered, Long keys) {
            Set<String> flags = new TreeSet<>(info.flags());
            flags.removeAll(Set.of("master", "slave", "myself", "noflags"));
            String role = info.isMaster() ? "master" : info.isReplica() ? "replica" : "unknown";
            return new Node(info.id(), info.address(), role, info.masterId(), flags, answered, info.slots(), keys,
                    info.migrating(), info.importing());
        }
    }

    /** @throws NullPointerException if {@code nodes} is null */
    public NodesReport {
        nodes = List.copyOf(nodes);
    }

    /**
     * The nodes as a table: short id, address, role (with flags such as {@code fail?}), master, slot count and
     * ranges, key count ({@code ?} when it did not answer), open slots ({@code 100->abcd1234} migrating,
     * {@code 100<-abcd1234} importing). Ends with a newline.
     */
    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "ADDRESS", "ROLE", "MASTER", "SLOTS", "RANGES", "KEYS", "OPEN"});
        for (Node n : nodes) {
            String role = n.flags().isEmpty() ? n.role() : n.role() + " (" + String.join(",", n.flags()) + ")";
            rows.add(new String[] {Tables.shortId(n.id()), n.address(), role,
                    n.master() == null ? "-" : Tables.shortId(n.master()),
                    Integer.toString(n.slots().size()), Tables.ranges(n.slots()),
                    n.keys() == null ? "?" : Long.toString(n.keys()), open(n)});
        }
        StringBuilder out = new StringBuilder();
        Tables.append(out, rows);
        return out.toString();
    }

    private static String open(Node n) {
        List<String> open = new ArrayList<>();
        n.migrating().forEach((slot, to) -> open.add(slot + "->" + Tables.shortId(to)));
        n.importing().forEach((slot, from) -> open.add(slot + "<-" + Tables.shortId(from)));
        if (open.isEmpty()) {
            return "-";
        }
        if (open.size() <= MAX_OPEN_LISTED) {
            return String.join(",", open);
        }
        return String.join(",", open.subList(0, MAX_OPEN_LISTED)) + ",... (" + open.size() + ")";
    }
}
