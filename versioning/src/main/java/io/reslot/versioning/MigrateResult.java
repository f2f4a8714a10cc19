package io.reslot.versioning;

import java.util.List;

/**
 * What {@code migrate} did. Serialisable with Jackson.
 *
 * @param initialVersion the newest applied version before the run; null if none was
 * @param currentVersion the newest applied version after it; null if none is
 * @param migrations what was applied, in order; empty when everything was up to date
 * @param elapsedMillis how long the run took
 */
public record MigrateResult(MigrationVersion initialVersion, MigrationVersion currentVersion,
        List<Applied> migrations, long elapsedMillis) {

    /**
     * One migration the run applied.
     *
     * @param version its version
     * @param description its description
     * @param type a script or a Java migration
     * @param resumed whether an earlier run had started it (it failed or died), so this run continued it
     * @param stepsSkipped steps done by the earlier run and not run again
     * @param stepsRun steps this run ran
     * @param executionMillis how long this run spent on it
     */
    public record Applied(MigrationVersion version, String description, MigrationType type, boolean resumed,
            int stepsSkipped, int stepsRun, long executionMillis) {
    }

    /** @throws NullPointerException if {@code migrations} is null */
    public MigrateResult {
        migrations = List.copyOf(migrations);
    }
}
