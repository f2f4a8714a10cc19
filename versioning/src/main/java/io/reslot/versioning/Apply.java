package io.reslot.versioning;

import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.internal.Identity;
import io.reslot.migrate.internal.LeaseLock;

/**
 * Applies or continues one migration under the run's lock: records it as running, runs its steps (skipping those its
 * checkpoint says are done), records the checkpoint after each, and records the end, success or failure.
 */
final class Apply {

    /** A migration's failure, already recorded and reported to the callbacks. */
    static final class Failure extends VersioningException {

        private static final long serialVersionUID = 1L;

        Failure(VersioningErrorCode code, String message, Throwable cause) {
            super(code, message, cause);
        }
    }

    private final RedisVersioning versioning;
    private final LeaseLock lock;
    private final MigrationStates.Row row;
    private final ResolvedMigration migration;
    private final boolean resumed;
    private HistoryEntry entry;
    private MigrationInfo info;
    /** Steps run so far in this migration, counting those skipped: the index of the next one. */
    private int next;
    private int ran;

    Apply(RedisVersioning versioning, LeaseLock lock, MigrationStates.Row row) {
        this.versioning = versioning;
        this.lock = lock;
        this.row = row;
        this.migration = row.found();
        this.resumed = row.entry() != null;
    }

    MigrateResult.Applied run() {
        History history = versioning.history();
        long started = System.nanoTime();
        lock.checkHeld();
        if (resumed) {
            entry = row.entry().with(HistoryEntry.State.RUNNING, row.entry().checkpoint(),
                    row.entry().executionMillis());
            history.update(entry);
        } else {
            entry = history.add(new HistoryEntry(0, migration.version(), migration.description(),
                    MigrationInfo.type(migration), migration.script(), migration.checksum(), Identity.userAtHost(),
                    RedisVersioning.now(), 0, HistoryEntry.State.RUNNING, null));
        }
        info = MigrationInfo.of(migration, entry, row.state() == MigrationState.PENDING ? MigrationState.PENDING
                : row.state());
        int skipped = entry.stepsDone();
        try {
            for (Callback callback : versioning.config().callbacks()) {
                callback.beforeEachMigrate(info);
            }
            if (migration.java() != null) {
                migration.java().migrate(new Context());
            } else {
                for (Step step : migration.steps()) {
                    step(step);
                }
            }
            lock.checkHeld();
            entry = entry.with(HistoryEntry.State.SUCCESS, entry.checkpoint(), entry.executionMillis() + since(started));
            history.update(entry);
            info = MigrationInfo.of(migration, entry, MigrationState.SUCCESS);
            for (Callback callback : versioning.config().callbacks()) {
                callback.afterEachMigrate(info);
            }
            return new MigrateResult.Applied(migration.version(), migration.description(), info.type(), resumed,
                    skipped, ran, since(started));
        } catch (Exception e) {
            throw fail(e, started);
        }
    }

    /** Runs the next step of the migration, or skips it if an earlier run did it. */
    private void step(Step step) {
        int index = next++;
        if (index < entry.stepsDone()) {
            return;
        }
        lock.checkHeld();
        for (Callback callback : versioning.config().callbacks()) {
            callback.beforeEachStep(info, index + 1, step);
        }
        HistoryEntry.Checkpoint checkpoint = entry.checkpoint();
        String jobId = checkpoint != null && checkpoint.stepsDone() == index ? checkpoint.jobId() : null;
        Steps.run(versioning.access(), step, jobId, versioning.config(), startedJob -> {
            entry = entry.with(HistoryEntry.State.RUNNING, new HistoryEntry.Checkpoint(index, startedJob),
                    entry.executionMillis());
            versioning.history().update(entry);
        });
        ran++;
        entry = entry.with(HistoryEntry.State.RUNNING, new HistoryEntry.Checkpoint(index + 1, null),
                entry.executionMillis());
        versioning.history().update(entry);
        for (Callback callback : versioning.config().callbacks()) {
            callback.afterEachStep(info, index + 1, step);
        }
    }

    private VersioningException fail(Exception e, long started) {
        // Record the failure even when the thread was interrupted: Lettuce's calls fail at once on such a thread, so
        // the interrupt status is cleared (as the engine's jobs do) and the code reports it instead.
        boolean interrupted = Thread.interrupted() || e instanceof InterruptedException;
        VersioningErrorCode code = interrupted ? VersioningErrorCode.INTERRUPTED
                : e instanceof RuntimeException r ? RedisVersioning.codeOf(r) : VersioningErrorCode.FAILED;
        if (code == VersioningErrorCode.LOCKED) {
            code = VersioningErrorCode.FAILED; // the run held the lock; a step refused by it is a failure of the run
        }
        int done = entry.stepsDone();
        String message = info.name() + " failed at step " + (done + 1)
                + (migration.java() == null ? " of " + migration.steps().size() : "") + " after " + done
                + " steps done: " + e.getMessage() + ". ";
        try {
            entry = entry.with(HistoryEntry.State.FAILED, entry.checkpoint(), entry.executionMillis() + since(started));
            versioning.history().update(entry);
            message += "It is recorded as failed in " + History.KEY + "; run migrate again to continue it from step "
                    + (done + 1) + " (or `reslot repair` to drop it so that migrate starts it anew)";
        } catch (RuntimeException notRecorded) {
            message += "Its failure could not be recorded (" + notRecorded.getMessage() + "); it stays RUNNING, and "
                    + "the next migrate continues it from step " + (done + 1);
        }
        info = MigrationInfo.of(migration, entry, MigrationState.FAILED);
        Failure failure = new Failure(code, message, e);
        versioning.onError(info, failure);
        return failure;
    }

    private static long since(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** What a Java migration is given: its steps run as a script's do, with checkpoints. */
    private final class Context implements MigrationContext {

        @Override
        public ClusterAccess access() {
            return versioning.access();
        }

        @Override
        public void run(Step step) {
            java.util.Objects.requireNonNull(step, "step");
            try {
                step(step);
            } catch (VersioningException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new VersioningException(RedisVersioning.codeOf(e), step.name() + ": " + e.getMessage(), e);
            }
        }
    }
}
