package io.reslot.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.reslot.migrate.internal.SlotSetJson;
import io.reslot.slot.SlotSet;

/**
 * What a reshard, move-slots, rebalance or drain will do: which slots go from which master to which, and how many
 * slots every master has before and after. Plain data: immutable, compared by value, serialisable with a plain
 * Jackson {@code ObjectMapper} (slot sets are written as {@code "0-99,500"}). Made by {@link Planner}.
 *
 * @param kind which command made it
 * @param transfers the slots to move, one entry per source/target pair, ordered by source then target address;
 *     every slot appears at most once
 * @param masters every master the plan involves or balances, before and after, ordered by address
 */
public record Plan(Kind kind, List<Transfer> transfers, List<Share> masters) {

    /** The command that made a plan. */
    public enum Kind {
        RESHARD, MOVE_SLOTS, REBALANCE, DRAIN
    }

    /**
     * Slots that move from one master to another.
     *
     * @param source the id of the master that serves them now
     * @param sourceAddress its {@code host:port}, for people
     * @param target the id of the master that will serve them
     * @param targetAddress its {@code host:port}
     * @param slots the slots, never empty
     */
    public record Transfer(String source, String sourceAddress, String target, String targetAddress,
            @JsonSerialize(using = SlotSetJson.Writer.class) @JsonDeserialize(using = SlotSetJson.Reader.class)
            SlotSet slots) {

        /**
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code slots} is empty or {@code source} equals {@code target}
         */
        public Transfer {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(sourceAddress, "sourceAddress");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(targetAddress, "targetAddress");
            Objects.requireNonNull(slots, "slots");
            if (slots.isEmpty() || source.equals(target)) {
                throw new IllegalArgumentException("a transfer moves at least one slot between two different masters: "
                        + source + " -> " + target + " " + slots);
            }
        }
    }

    /**
     * One master's number of slots before and after the plan.
     *
     * @param id the node id
     * @param address its {@code host:port}
     * @param slotsBefore how many slots it serves now
     * @param slotsAfter how many it will serve once the plan is done
     */
    public record Share(String id, String address, int slotsBefore, int slotsAfter) {

        /** @throws NullPointerException if {@code id} or {@code address} is null */
        public Share {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
        }
    }

    /** @throws NullPointerException if an argument is null */
    public Plan {
        Objects.requireNonNull(kind, "kind");
        transfers = List.copyOf(transfers);
        masters = List.copyOf(masters);
    }

    /** How many slots move in total. */
    public int slotCount() {
        return transfers.stream().mapToInt(t -> t.slots().size()).sum();
    }

    /** Whether nothing moves. */
    @JsonIgnore // derived, and Jackson would otherwise write it as a property "empty" that it cannot read back
    public boolean isEmpty() {
        return transfers.isEmpty();
    }

    /**
     * The plan for people: one line per transfer, then every master's slot count before and after. Ends with a
     * newline.
     */
    public String table() {
        StringBuilder out = new StringBuilder();
        if (transfers.isEmpty()) {
            out.append("nothing to move\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"FROM", "TO", "SLOTS", "RANGES"});
            for (Transfer t : transfers) {
                rows.add(new String[] {shortNode(t.source(), t.sourceAddress()), shortNode(t.target(), t.targetAddress()),
                        Integer.toString(t.slots().size()), abbreviate(t.slots().toString())});
            }
            Tables.append(out, rows);
            out.append(slotCount()).append(" slots in ").append(transfers.size())
                    .append(transfers.size() == 1 ? " transfer\n" : " transfers\n");
        }
        if (!masters.isEmpty()) {
            out.append('\n');
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"MASTER", "SLOTS NOW", "SLOTS AFTER"});
            for (Share share : masters) {
                rows.add(new String[] {shortNode(share.id(), share.address()), Integer.toString(share.slotsBefore()),
                        Integer.toString(share.slotsAfter())});
            }
            Tables.append(out, rows);
        }
        return out.toString();
    }

    private static String shortNode(String id, String address) {
        return address + " (" + id.substring(0, Math.min(8, id.length())) + ")";
    }

    private static String abbreviate(String ranges) {
        return ranges.length() <= 60 ? ranges : ranges.substring(0, ranges.lastIndexOf(',', 57) + 1) + "...";
    }
}
