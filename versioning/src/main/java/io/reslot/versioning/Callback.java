package io.reslot.versioning;

import io.reslot.migrate.MoveEvent;
import io.reslot.rewrite.RetagCounts;

/**
 * Hooks into {@code migrate}, in the spirit of Flyway's callbacks: before and after the whole run, each migration
 * and each step, on an error, and the progress of the step that is running. Every method does nothing by default.
 *
 * <p>The hooks of the run, migrations and steps are called on the thread that called {@code migrate}, under the
 * cluster's lock. An exception thrown by one of them fails the migration that is running as a step's failure would:
 * it is recorded as failed, with the steps done so far, and the next {@code migrate} continues it. {@link #onMove}
 * and {@link #onRetag} are called from the mover's and the rewriter's threads, several at once, and must be quick;
 * what they throw is ignored.
 */
public interface Callback {

    /** Before anything is applied: the lock is held and the migrations are validated. */
    default void beforeMigrate() {
    }

    /** After every pending migration was applied. */
    default void afterMigrate(MigrateResult result) {
    }

    /** Before a migration is applied or continued; its state says which (pending, failed, running). */
    default void beforeEachMigrate(MigrationInfo migration) {
    }

    /** After a migration was applied and recorded as a success. */
    default void afterEachMigrate(MigrationInfo migration) {
    }

    /**
     * Before a step runs.
     *
     * @param index the step's number in its migration, from 1
     */
    default void beforeEachStep(MigrationInfo migration, int index, Step step) {
    }

    /**
     * After a step is done and recorded in the migration's checkpoint.
     *
     * @param index the step's number in its migration, from 1
     */
    default void afterEachStep(MigrationInfo migration, int index, Step step) {
    }

    /**
     * When a migration failed (after it was recorded as failed), or the run could not start.
     *
     * @param migration the migration that failed; null if the run failed before one started
     */
    default void onError(MigrationInfo migration, VersioningException error) {
    }

    /** Progress of a moving step ({@code reshard}, {@code move-slots}, {@code rebalance}, {@code drain}). */
    default void onMove(MoveEvent event) {
    }

    /** Progress of a {@code retag} step: the counts so far. */
    default void onRetag(RetagCounts counts) {
    }
}
