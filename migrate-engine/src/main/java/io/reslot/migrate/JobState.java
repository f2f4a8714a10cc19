package io.reslot.migrate;

/** Where a job is; see {@link JobRecord#state()}. */
public enum JobState {
    /**
     * A run is moving its slots, or was and crashed: a job whose run died still says RUNNING, and
     * {@code reslot resume} picks it up once the lock is free.
     */
    RUNNING,
    /** A run stopped on an error or was interrupted; {@link JobRecord#lastError()} says why. Resumable. */
    STOPPED,
    /** Every slot has moved. Final; the job's records expire 30 days later. */
    DONE
}
