package io.reslot.migrate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.reslot.migrate.internal.SlotSetJson;
import io.reslot.slot.SlotSet;

/**
 * What {@link ClusterCheck#check(ClusterAccess)} found: a few counts and the list of problems, each carrying the
 * nodes, slots and key counts that a fix needs. Plain data: immutable, compared by value, serialisable with a plain
 * Jackson {@code ObjectMapper} (slot sets as {@code "0-99,500"}; {@code healthy} is written, and ignored on reading).
 *
 * @param nodes how many nodes the merged topology lists
 * @param masters how many of them are masters
 * @param answered how many nodes answered {@code CLUSTER NODES}
 * @param problems what is wrong, ordered by kind (in {@link Kind} order), then as found; empty when healthy
 */
@JsonIgnoreProperties(value = "healthy", allowGetters = true)
public record CheckReport(int nodes, int masters, int answered, List<Problem> problems) {

    /** The kinds of problem, in the order a report lists them. */
    public enum Kind {
        /**
         * Two nodes' views of the cluster differ (nodes, roles or slot owners). Slots changing hands are normal for a
         * moment after a move; persistent disagreement needs a person. {@link Problem#message()} says what differs.
         */
        VIEWS_DISAGREE,
        /**
         * A node the others list did not answer. {@link Problem#nodes()}: that node; {@link Problem#slots()}: the slots
         * it serves (by the others' view) if it is a master.
         */
        NODE_UNREACHABLE,
        /**
         * Other nodes flag a node {@code fail} or {@code fail?}. {@link Problem#nodes()}: that node;
         * {@link Problem#slots()}: the slots it serves if it is a master.
         */
        NODE_FAILING,
        /** A node is still in {@code handshake} or has no address ({@code noaddr}). {@link Problem#nodes()}: it. */
        NODE_INCOMPLETE,
        /** Slots no master serves. {@link Problem#slots()}: them. */
        UNCOVERED_SLOTS,
        /**
         * A slot left {@code MIGRATING} or {@code IMPORTING}: {@link Problem#openSlot()} names both sides, which of
         * them has the slot open, and how many keys of the slot each holds.
         */
        OPEN_SLOT,
        /**
         * A master holds keys in slots it does not serve (slots it is importing are left out: those are
         * {@link #OPEN_SLOT}s). {@link Problem#nodes()}: the master; {@link Problem#keysPerSlot()}: the counts.
         */
        KEYS_IN_UNOWNED_SLOTS;

        /** The kind as the text table prints it, e.g. {@code open-slot}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * A node named by a problem.
     *
     * @param id the node id
     * @param address its {@code host:port}; empty when no answering node knows its address
     */
    public record Node(String id, String address) {

        /** @throws NullPointerException if an argument is null */
        public Node {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
        }

        static Node of(NodeInfo info) {
            return new Node(info.id(), info.isIncomplete() && info.port() == 0 ? "" : info.address());
        }

        /** {@code host:port (abcd1234)}, for people. */
        @Override
        public String toString() {
            return (address.isEmpty() ? "?" : address) + " (" + Tables.shortId(id) + ")";
        }
    }

    /**
     * One open slot and both sides of its move. The source is the node that has it {@code MIGRATING} or that the
     * target names as where it imports from; the target the other way round. Either side may have the slot open
     * without the other (a move interrupted between its first two steps, or a half-closed one).
     *
     * @param slot the slot
     * @param source the node the slot moves away from
     * @param migrating whether {@code source} has the slot {@code MIGRATING} to {@code target}
     * @param sourceKeys keys of the slot on {@code source}; {@code null} if it did not answer
     * @param target the node the slot moves to
     * @param importing whether {@code target} has the slot {@code IMPORTING} from {@code source}
     * @param targetKeys keys of the slot on {@code target}; {@code null} if it did not answer
     * @param owner the id of the master serving the slot in the merged view; {@code null} if none does
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OpenSlot(int slot, Node source, boolean migrating, Long sourceKeys, Node target, boolean importing,
            Long targetKeys, String owner) {

        /** @throws NullPointerException if {@code source} or {@code target} is null */
        public OpenSlot {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * One problem.
     *
     * @param kind what kind of problem; says which of the other fields are filled
     * @param slots the slots concerned; empty when the problem is not about slots
     * @param nodes the nodes concerned, possibly none; for an open slot its source then its target
     * @param openSlot the open slot, for {@link Kind#OPEN_SLOT} only, otherwise {@code null}
     * @param keysPerSlot slot → number of keys, for {@link Kind#KEYS_IN_UNOWNED_SLOTS} only, otherwise empty
     * @param message one sentence for people, naming the nodes and slots
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(Kind kind,
            @JsonSerialize(using = SlotSetJson.Writer.class) @JsonDeserialize(using = SlotSetJson.Reader.class)
            SlotSet slots,
            List<Node> nodes, OpenSlot openSlot, SortedMap<Integer, Long> keysPerSlot, String message) {

        /** @throws NullPointerException if {@code kind}, {@code slots} or {@code message} is null */
        public Problem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(slots, "slots");
            Objects.requireNonNull(message, "message");
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
            keysPerSlot = Collections.unmodifiableSortedMap(keysPerSlot == null ? new TreeMap<>()
                    : new TreeMap<>(keysPerSlot));
        }

        /** The number of keys in {@link #keysPerSlot()}. */
        public long keys() {
            return keysPerSlot.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** @throws NullPointerException if {@code problems} is null */
    public CheckReport {
        problems = List.copyOf(problems);
    }

    /** Whether no problem was found. */
    public boolean isHealthy() {
        return problems.isEmpty();
    }

    /** The problems of one kind. */
    public List<Problem> problems(Kind kind) {
        return problems.stream().filter(p -> p.kind() == kind).toList();
    }

    /**
     * The report for people: a summary line, then one row per problem (kind, slots, what). Ends with a newline.
     */
    public String table() {
        StringBuilder out = new StringBuilder().append(nodes).append(nodes == 1 ? " node (" : " nodes (")
                .append(masters).append(masters == 1 ? " master), " : " masters), ")
                .append(answered).append(" answered: ");
        if (problems.isEmpty()) {
            return out.append("healthy\n").toString();
        }
        out.append(problems.size()).append(problems.size() == 1 ? " problem\n" : " problems\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PROBLEM", "SLOTS", "WHAT"});
        for (Problem p : problems) {
            rows.add(new String[] {p.kind().label(), Tables.ranges(p.slots()), p.message()});
        }
        Tables.append(out, rows);
        return out.toString();
    }
}
