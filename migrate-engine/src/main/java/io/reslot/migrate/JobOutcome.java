package io.reslot.migrate;

import java.util.List;

/**
 * What a run of a job did. Serialisable with Jackson.
 *
 * @param jobId the job's id, {@code null} when the plan was empty and no job was made
 * @param completed whether every slot of the plan is done
 * @param slotsDone slots done, including those of earlier runs of the job
 * @param slotsTotal slots in the plan
 * @param keys keys moved by this run
 * @param bytes their estimated bytes
 * @param elapsedMillis how long this run took
 * @param warnings what went wrong without stopping the job, e.g. a master that missed a {@code SETSLOT NODE} and
 *     learns the new owner by gossip
 */
public record JobOutcome(String jobId, boolean completed, int slotsDone, int slotsTotal, long keys, long bytes,
        long elapsedMillis, List<String> warnings) {

    /** @throws NullPointerException if {@code warnings} is null */
    public JobOutcome {
        warnings = List.copyOf(warnings);
    }
}
