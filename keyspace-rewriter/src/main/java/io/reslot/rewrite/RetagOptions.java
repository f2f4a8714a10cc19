package io.reslot.rewrite;

import java.time.Duration;
import java.util.Objects;

import io.reslot.migrate.Jobs;
import io.reslot.rewrite.KeyMove.OnConflict;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * How a retag runs. Immutable; {@link #defaults()} or {@link #builder()}.
 *
 * @param mode what is done to each key the rules match
 * @param onConflict what to do when a new name is taken by another key ({@code move} and {@code copy})
 * @param scanCount the {@code COUNT} hint of each {@code SCAN}
 * @param inFlight keys being moved at once per master, the bound on what is pipelined
 * @param lockLease the lease of the cluster's lock: how long a run that crashed keeps the next one out
 */
public record RetagOptions(Mode mode, OnConflict onConflict, int scanCount, int inFlight, Duration lockLease) {

    /** What a retag does to each key the rules match. */
    public enum Mode {
        /** Copy to the new name and delete the old one: {@link KeyMove#moveAsync}. */
        MOVE,
        /** Copy to the new name and keep the old one, for clients that read both for a while. */
        COPY,
        /** Delete old keys whose copy under the new name is identical: the end of a {@code copy} rollout. */
        CLEANUP,
        /** Change nothing; count old keys left over and copies that differ. */
        VERIFY
    }

    /** SCAN's COUNT hint: a page of about this many keys per round trip. */
    public static final int DEFAULT_SCAN_COUNT = 1000;
    /** Keys in flight per master. */
    public static final int DEFAULT_IN_FLIGHT = 2000;

    /** @throws IllegalArgumentException if a number is below 1 */
    public RetagOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(onConflict, "onConflict");
        requireArgument(scanCount >= 1, "scanCount must be at least 1, not %d", scanCount);
        requireArgument(inFlight >= 1, "inFlight must be at least 1, not %d", inFlight);
        Objects.requireNonNull(lockLease, "lockLease");
        requireArgument(lockLease.compareTo(Jobs.MIN_LOCK_LEASE) >= 0, "lockLease must be at least %s, not %s",
                Jobs.MIN_LOCK_LEASE, lockLease);
    }

    /** The defaults: move, stop on a conflict, pages of 1000 keys, 2000 keys in flight per master. */
    public static RetagOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().mode(mode).onConflict(onConflict).scanCount(scanCount).inFlight(inFlight)
                .lockLease(lockLease);
    }

    /** Builds {@link RetagOptions}. */
    public static final class Builder {

        private Mode mode = Mode.MOVE;
        private OnConflict onConflict = OnConflict.FAIL;
        private int scanCount = DEFAULT_SCAN_COUNT;
        private int inFlight = DEFAULT_IN_FLIGHT;
        private Duration lockLease = Jobs.DEFAULT_LOCK_LEASE;

        private Builder() {
        }

        public Builder mode(Mode value) {
            mode = value;
            return this;
        }

        public Builder onConflict(OnConflict value) {
            onConflict = value;
            return this;
        }

        public Builder scanCount(int value) {
            scanCount = value;
            return this;
        }

        public Builder inFlight(int value) {
            inFlight = value;
            return this;
        }

        public Builder lockLease(Duration value) {
            lockLease = value;
            return this;
        }

        /** @throws IllegalArgumentException as the constructor */
        public RetagOptions build() {
            return new RetagOptions(mode, onConflict, scanCount, inFlight, lockLease);
        }
    }
}
