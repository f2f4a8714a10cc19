package io.reslot.migrate;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a job reports while it runs, to a {@link MoveListener}. Serialisable with Jackson; the {@code event} property
 * names the kind ({@code plan}, {@code slot-started}, {@code batch}, {@code slot-done}, {@code error},
 * {@code finished}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
        @JsonSubTypes.Type(value = MoveEvent.PlanStarted.class, name = "plan"),
        @JsonSubTypes.Type(value = MoveEvent.SlotStarted.class, name = "slot-started"),
        @JsonSubTypes.Type(value = MoveEvent.BatchMoved.class, name = "batch"),
        @JsonSubTypes.Type(value = MoveEvent.SlotDone.class, name = "slot-done"),
        @JsonSubTypes.Type(value = MoveEvent.Error.class, name = "error"),
        @JsonSubTypes.Type(value = MoveEvent.Finished.class, name = "finished")})
public sealed interface MoveEvent {

    /**
     * The job starts (or resumes) moving.
     *
     * @param jobId the job's id
     * @param plan the whole plan
     * @param slotsDone how many of its slots were already done by an earlier run (0 for a new job)
     */
    record PlanStarted(String jobId, Plan plan, int slotsDone) implements MoveEvent {
    }

    /**
     * A slot is being opened.
     *
     * @param slot the slot
     * @param source the id of the master it leaves
     * @param target the id of the master it goes to
     */
    record SlotStarted(int slot, String source, String target) implements MoveEvent {
    }

    /**
     * One MIGRATE finished.
     *
     * @param slot the slot
     * @param keys how many keys it moved
     * @param bytes how many bytes they take, as estimated from sampled {@code MEMORY USAGE}
     * @param pauseMicros how long the MIGRATE ran on the server, as seen from the client
     */
    record BatchMoved(int slot, int keys, long bytes, long pauseMicros) implements MoveEvent {
    }

    /**
     * A slot is served by its target everywhere and empty on its source.
     *
     * @param slot the slot
     * @param keys how many keys were moved for it
     * @param bytes their estimated bytes
     */
    record SlotDone(int slot, long keys, long bytes) implements MoveEvent {
    }

    /**
     * The job stops on an error; {@link Finished} follows.
     *
     * @param code what kind of error
     * @param message what happened, what state it left, and what to run next
     */
    record Error(MigrateErrorCode code, String message) implements MoveEvent {
    }

    /**
     * The job ended, done or stopped.
     *
     * @param jobId the job's id
     * @param completed whether every slot of the plan is done
     * @param slotsDone slots done, including those done by earlier runs of the job
     * @param slotsTotal slots in the plan
     * @param keys keys moved by this run
     * @param bytes their estimated bytes
     * @param elapsedMillis how long this run took
     */
    record Finished(String jobId, boolean completed, int slotsDone, int slotsTotal, long keys, long bytes,
            long elapsedMillis) implements MoveEvent {
    }
}
