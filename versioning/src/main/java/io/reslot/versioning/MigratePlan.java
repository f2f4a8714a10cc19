package io.reslot.versioning;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.reslot.migrate.Plan;
import io.reslot.rewrite.RetagPlan;

/**
 * What {@code migrate} would do, worked out without changing anything (a dry run). Serialisable with Jackson.
 *
 * <p>Every step is planned against the cluster as it is now: a step after a moving step would be planned against the
 * layout the earlier step leaves, so its plan here is only indicative. A Java migration's steps are known only when
 * it runs, so none are listed for it.
 *
 * @param migrations the migrations {@code migrate} would apply or continue, in order
 */
public record MigratePlan(List<PlannedMigration> migrations) {

    /**
     * One migration to apply.
     *
     * @param migration the migration, with its state (pending, failed or running)
     * @param steps its steps still to do; empty for a Java migration
     */
    public record PlannedMigration(MigrationInfo migration, List<PlannedStep> steps) {

        /** @throws NullPointerException if an argument is null */
        public PlannedMigration {
            steps = List.copyOf(steps);
        }
    }

    /**
     * One step's plan.
     *
     * @param index the step's number in its migration, from 1
     * @param name the step's name ({@code move-slots}, {@code retag}, ...)
     * @param slots for a moving step, the slots it would move; null otherwise
     * @param keys for a retag, the keys it would rename; null otherwise
     * @param note what the plan leaves out, such as a moving job that an earlier run started and would be finished
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlannedStep(int index, String name, Plan slots, RetagPlan keys, String note) {
    }

    /** @throws NullPointerException if {@code migrations} is null */
    public MigratePlan {
        migrations = List.copyOf(migrations);
    }
}
