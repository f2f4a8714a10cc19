package io.reslot.versioning;

/** Where a migration is, as {@code info} shows it; compare Flyway's {@code MigrationState}. */
public enum MigrationState {
    /** Found, not applied yet; the next {@code migrate} applies it. */
    PENDING(false),
    /** Found, not applied, and newer than the target; {@code migrate} leaves it. */
    ABOVE_TARGET(false),
    /**
     * Found, not applied, and older than the newest applied migration: {@code migrate} refuses to run until it is
     * applied with out-of-order allowed, or removed.
     */
    IGNORED(false),
    /** Found, not applied, and not newer than the baseline; it never will be applied. */
    BELOW_BASELINE(false),
    /** The baseline entry: the cluster was at this version when versioning began. */
    BASELINE(true),
    /** Applied. */
    SUCCESS(true),
    /** Applied, after a newer migration had been. */
    OUT_OF_ORDER(true),
    /** Failed part way; the next {@code migrate} continues it from its checkpoint if it did not change. */
    FAILED(true),
    /** Being applied, or its run died; the next {@code migrate} continues it from its checkpoint. */
    RUNNING(true),
    /** Applied, but no migration with its version is found any more, and newer ones are. */
    MISSING(true),
    /** Applied, and newer than every migration found: applied by a newer checkout. */
    FUTURE(true);

    private final boolean applied;

    MigrationState(boolean applied) {
        this.applied = applied;
    }

    /** Whether the history has an entry for it. */
    public boolean isApplied() {
        return applied;
    }
}
