package io.reslot.migrate;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.reslot.migrate.internal.SlotSetJson;
import io.reslot.slot.SlotSet;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * A reshard, move-slots, rebalance or drain as stored in the cluster, so that {@code reslot resume} can finish it from
 * any machine: its plan, the mover options it runs with, its state and which slots have moved. Plain data: immutable,
 * compared by value, serialisable with a plain Jackson {@code ObjectMapper}. It holds no password or other credential.
 *
 * @param id the job's id: 8 lowercase hex digits, unique in its cluster
 * @param plan what the job moves
 * @param options how it moves, so that a resumed run moves the same way
 * @param state where the job is
 * @param createdAt when it was created, ISO-8601 in UTC ({@code 2026-01-01T10:00:00.123Z}), by the creating machine's
 *     clock
 * @param updatedAt when its state last changed, in the same form, by the clock of the machine that changed it
 * @param createdBy {@code user@host} of the run that created it
 * @param done the slots that have moved, written as {@code "0-99,500"}
 * @param lastError why it stopped, when {@link JobState#STOPPED}; otherwise normally null
 */
public record JobRecord(String id, Plan plan, MoverOptions options, JobState state, String createdAt,
        String updatedAt, String createdBy,
        @JsonSerialize(using = SlotSetJson.Writer.class) @JsonDeserialize(using = SlotSetJson.Reader.class)
        SlotSet done,
        String lastError) {

    /**
     * @throws NullPointerException if an argument other than {@code lastError} is null
     * @throws IllegalArgumentException if a timestamp is not an ISO-8601 instant
     */
    public JobRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(state, "state");
        requireInstant("createdAt", createdAt);
        requireInstant("updatedAt", updatedAt);
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(done, "done");
    }

    private static void requireInstant(String name, String value) {
        Objects.requireNonNull(value, name);
        boolean valid;
        try {
            Instant.parse(value);
            valid = true;
        } catch (DateTimeParseException e) {
            valid = false;
        }
        requireArgument(valid, "%s must be an ISO-8601 instant such as 2026-01-01T10:00:00Z, not \"%s\"", name, value);
    }

    /** The slots of the plan that have not moved yet. */
    public SlotSet remaining() {
        SlotSet all = SlotSet.empty();
        for (Plan.Transfer transfer : plan.transfers()) {
            all = all.union(transfer.slots());
        }
        return all.minus(done);
    }

    /** The plan's transfers cut down to the slots that have not moved yet; transfers left with none are dropped. */
    public List<Plan.Transfer> remainingTransfers() {
        SlotSet left = remaining();
        List<Plan.Transfer> pending = new ArrayList<>();
        for (Plan.Transfer t : plan.transfers()) {
            SlotSet slots = t.slots().intersection(left);
            if (!slots.isEmpty()) {
                pending.add(new Plan.Transfer(t.source(), t.sourceAddress(), t.target(), t.targetAddress(), slots));
            }
        }
        return pending;
    }
}
