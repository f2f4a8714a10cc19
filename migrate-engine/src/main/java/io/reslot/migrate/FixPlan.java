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
 * What {@link ClusterFix} will do about the problems of a {@link CheckReport}, and what it cannot fix. Plain data,
 * serialisable with Jackson, printable as a table.
 *
 * @param actions what it will do, in order
 * @param unfixable problems it leaves to a person, one sentence each (a node that is down, views still converging)
 */
public record FixPlan(List<Action> actions, List<String> unfixable) {

    /** The kinds of action, in the order they are applied. */
    public enum Kind {
        /**
         * Give uncovered slots to a master ({@code CLUSTER ADDSLOTS}): the one holding most of their keys, else the
         * one serving the fewest slots.
         */
        ASSIGN_SLOTS,
        /**
         * Several masters claim a slot: the one holding most of its keys keeps it, the others' keys move to it, they
         * drop their claim, and the keeper bumps its config epoch so that every node agrees.
         */
        SETTLE_OWNER,
        /** Move the rest of an open slot's keys to its target and hand the slot over, as the mover does. */
        FINISH_MOVE,
        /** Move keys a master holds in a slot it does not serve to the slot's owner, then close the slot there. */
        RETURN_KEYS,
        /** {@code CLUSTER SETSLOT s STABLE} on a node that has a slot open with nothing to move. */
        CLOSE_SLOT
    }

    /**
     * One action.
     *
     * @param kind what it does
     * @param slots the slots it acts on
     * @param from the node keys or the slot move away from ({@code null} for {@link Kind#ASSIGN_SLOTS}); for
     *     {@link Kind#CLOSE_SLOT} the node whose slot is closed
     * @param to the node that ends up serving the slots ({@code null} for {@link Kind#CLOSE_SLOT})
     * @param description one sentence for people
     */
    public record Action(Kind kind,
            @JsonSerialize(using = SlotSetJson.Writer.class) @JsonDeserialize(using = SlotSetJson.Reader.class)
            SlotSet slots,
            CheckReport.Node from, CheckReport.Node to, String description) {

        /** @throws NullPointerException if {@code kind}, {@code slots} or {@code description} is null */
        public Action {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(slots, "slots");
            Objects.requireNonNull(description, "description");
        }
    }

    /** @throws NullPointerException if an argument is null */
    public FixPlan {
        actions = List.copyOf(actions);
        unfixable = List.copyOf(unfixable);
    }

    /** Whether there is nothing to do. */
    @JsonIgnore
    public boolean isEmpty() {
        return actions.isEmpty();
    }

    /** The plan for people, ending with a newline. */
    public String table() {
        StringBuilder out = new StringBuilder();
        if (actions.isEmpty()) {
            out.append("nothing to fix\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ACTION", "SLOTS", "WHAT"});
            for (Action action : actions) {
                rows.add(new String[] {action.kind().name().toLowerCase().replace('_', '-'),
                        Tables.abbreviate(action.slots().toString()), action.description()});
            }
            Tables.append(out, rows);
        }
        for (String problem : unfixable) {
            out.append("not fixed: ").append(problem).append('\n');
        }
        return out.toString();
    }
}
