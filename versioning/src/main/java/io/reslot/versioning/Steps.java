package io.reslot.versioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.JobRecord;
import io.reslot.migrate.JobState;
import io.reslot.migrate.Jobs;
import io.reslot.migrate.MoveListener;
import io.reslot.migrate.Plan;
import io.reslot.migrate.Planner;
import io.reslot.migrate.Topology;
import io.reslot.rewrite.Retag;
import io.reslot.rewrite.RetagOptions;
import io.reslot.rewrite.RetagPlan;

/** How each kind of step is planned and run: a moving step as an engine job, a retag as a rewriter run. */
final class Steps {

    private Steps() {
    }

    /**
     * Runs one step to its end. The run's lock is already held by this thread; the job or the retag takes it again,
     * which it is allowed to (the lock is re-entrant for its holder).
     *
     * @param jobId the job an earlier run started for this step, to be finished rather than planned anew; null if
     *     none
     * @param jobStarted told the id of a new job before it is stored, so that a run that dies can be continued
     */
    static void run(ClusterAccess access, Step step, String jobId, RedisVersioning.Configuration config,
            Consumer<String> jobStarted) {
        if (step instanceof Step.Retag retag) {
            RetagOptions options = RetagOptions.builder().mode(retag.mode()).onConflict(retag.onConflict())
                    .lockLease(config.lockLease()).build();
            Retag.run(access, retag.rules(), options, counts -> {
                for (Callback callback : config.callbacks()) {
                    callback.onRetag(counts);
                }
            });
            return;
        }
        Step.Moving moving = (Step.Moving) step;
        MoveListener listener = event -> {
            for (Callback callback : config.callbacks()) {
                callback.onMove(event);
            }
        };
        if (jobId != null) {
            Optional<JobRecord> job = Jobs.list(access).stream().filter(j -> j.id().equals(jobId)).findFirst();
            if (job.isPresent()) {
                if (job.get().state() != JobState.DONE) {
                    Jobs.resume(access, jobId, moving.mover(), config.lockLease(), listener);
                }
                return;
            }
            // The job expired, or the run died before storing it: plan the step anew, against the layout as it is now.
        }
        Plan plan = plan(moving, access.topology());
        // the id is recorded before the job is stored: a run that dies at any moment leaves an id the next run can
        // look up (a job that was never stored is planned anew, as one that expired)
        String newJob = Jobs.newJobId();
        jobStarted.accept(newJob);
        Jobs.run(access, plan, moving.mover(), config.lockLease(), listener, newJob);
    }

    /** The slots a moving step would move in the cluster laid out as {@code topology}. */
    static Plan plan(Step.Moving step, Topology topology) {
        if (step instanceof Step.Reshard reshard) {
            return Planner.reshard(topology, reshard.to(), reshard.slots(), reshard.from());
        }
        if (step instanceof Step.MoveSlots move) {
            return Planner.moveSlots(topology, move.slots(), move.to());
        }
        if (step instanceof Step.Rebalance rebalance) {
            return Planner.rebalance(topology, rebalance.options());
        }
        return Planner.drain(topology, ((Step.Drain) step).node());
    }

    /** The plan of every step {@code row}'s migration still has to do, changing nothing. */
    static MigratePlan.PlannedMigration plan(ClusterAccess access, MigrationStates.Row row) {
        ResolvedMigration migration = row.found();
        MigrationInfo info = row.info();
        List<MigratePlan.PlannedStep> steps = new ArrayList<>();
        HistoryEntry.Checkpoint checkpoint = row.entry() == null ? null : row.entry().checkpoint();
        int done = checkpoint == null ? 0 : checkpoint.stepsDone();
        Topology topology = migration.steps().isEmpty() ? null : access.topology();
        for (int i = done; i < migration.steps().size(); i++) {
            Step step = migration.steps().get(i);
            if (step instanceof Step.Retag retag) {
                RetagOptions options = RetagOptions.builder().mode(retag.mode()).onConflict(retag.onConflict())
                        .build();
                steps.add(new MigratePlan.PlannedStep(i + 1, step.name(), null,
                        RetagPlan.of(access, retag.rules(), options), null));
            } else if (i == done && checkpoint != null && checkpoint.jobId() != null) {
                steps.add(new MigratePlan.PlannedStep(i + 1, step.name(), null, null, "job " + checkpoint.jobId()
                        + ", started by an earlier run, would be finished"));
            } else {
                steps.add(new MigratePlan.PlannedStep(i + 1, step.name(), plan((Step.Moving) step, topology), null,
                        i > done ? "planned against the layout as it is now, before the steps above" : null));
            }
        }
        return new MigratePlan.PlannedMigration(info, steps);
    }
}
