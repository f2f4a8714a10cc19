package io.reslot.rewrite;

import java.util.Objects;

import io.reslot.rewrite.KeyMove.OnConflict;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * How a retag runs. Immutable; {@link #defaults()} or {@link #builder()}.
 *
 * @param onConflict what to do when a new name is taken by another key
 * @param scanCount the {@code COUNT} hint of each {@code SCAN}
 * @param inFlight keys being moved at once per master, the bound on what is pipelined
 */
public record RetagOptions(OnConflict onConflict, int scanCount, int inFlight) {

    /** SCAN's COUNT hint: a page of about this many keys per round trip. */
    public static final int DEFAULT_SCAN_COUNT = 1000;
    /** Keys in flight per master. */
    public static final int DEFAULT_IN_FLIGHT = 2000;

    /** @throws IllegalArgumentException if a number is below 1 */
    public RetagOptions {
        Objects.requireNonNull(onConflict, "onConflict");
        requireArgument(scanCount >= 1, "scanCount must be at least 1, not %d", scanCount);
        requireArgument(inFlight >= 1, "inFlight must be at least 1, not %d", inFlight);
    }

    /** The defaults: stop on a conflict, pages of 1000 keys, 2000 keys in flight per master. */
    public static RetagOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().onConflict(onConflict).scanCount(scanCount).inFlight(inFlight);
    }

    /** Builds {@link RetagOptions}. */
    public static final class Builder {

        private OnConflict onConflict = OnConflict.FAIL;
        private int scanCount = DEFAULT_SCAN_COUNT;
        private int inFlight = DEFAULT_IN_FLIGHT;

        private Builder() {
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

        /** @throws IllegalArgumentException as the constructor */
        public RetagOptions build() {
            return new RetagOptions(onConflict, scanCount, inFlight);
        }
    }
}
