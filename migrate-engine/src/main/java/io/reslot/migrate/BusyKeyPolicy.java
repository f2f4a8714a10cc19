package io.reslot.migrate;

/** What the mover does when a key it moves already exists on the target ({@code BUSYKEY}). */
public enum BusyKeyPolicy {
    /** Stop, naming the key; the slot stays open and the job can be resumed. */
    FAIL,
    /**
     * Compare the two copies' {@code DUMP} payloads: identical → move it with {@code REPLACE} (nothing is lost);
     * different → stop as {@link #FAIL} does. The default.
     */
    COMPARE,
    /** Overwrite the target's copy with the source's. */
    REPLACE
}
