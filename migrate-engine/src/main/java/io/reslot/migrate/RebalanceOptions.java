package io.reslot.migrate;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * How {@link Planner#rebalance(Topology, RebalanceOptions)} evens out slots, with the meaning of
 * {@code redis-cli --cluster rebalance}'s {@code --cluster-weight}, {@code --cluster-threshold} and
 * {@code --cluster-use-empty-masters}. Immutable; build with {@link #builder()}; serialisable with Jackson (it is
 * stored with each job and read from versioned scripts).
 *
 * @param weights node reference (id, unique id prefix or {@code host:port}) → weight; a master's share of the slots
 *     is proportional to its weight, 1 when not listed. Weight 0 moves every slot off that master. A master that
 *     serves no slots takes part when it is listed here, even without {@link #useEmptyMasters()}
 * @param thresholdPercent do nothing unless some master's slot count is more than this many percent away from its
 *     share ({@code |100 - 100 * share / slots|}, as {@code redis-cli} computes it); 0 rebalances on any difference
 * @param useEmptyMasters whether masters that serve no slots take part (and so receive slots)
 */
public record RebalanceOptions(SortedMap<String, Double> weights, double thresholdPercent, boolean useEmptyMasters) {

    /** {@code redis-cli}'s default threshold: 2 percent. */
    public static final double DEFAULT_THRESHOLD_PERCENT = 2.0;
    /** Masters without slots stay out unless asked for, as in {@code redis-cli}. */
    public static final boolean DEFAULT_USE_EMPTY_MASTERS = false;
    /** The weight of a master that {@link #weights()} does not list. */
    public static final double DEFAULT_WEIGHT = 1.0;

    /**
     * @throws NullPointerException if {@code weights}, a node reference in it or a weight is null
     * @throws IllegalArgumentException naming the value if a node reference is empty, a weight is negative or not
     *     finite, or the threshold is negative or not finite
     */
    public RebalanceOptions {
        Objects.requireNonNull(weights, "weights");
        TreeMap<String, Double> copy = new TreeMap<>();
        weights.forEach((node, weight) -> {
            Objects.requireNonNull(node, "node reference of a weight");
            Objects.requireNonNull(weight, () -> "weight of " + node);
            requireArgument(!node.isEmpty(), "a weight needs a node reference, got an empty one (weight %s)", weight);
            requireArgument(Double.isFinite(weight) && weight >= 0,
                    "weight of %s must be a finite number of 0 or more, not %s", node, weight);
            copy.put(node, weight);
        });
        weights = Collections.unmodifiableSortedMap(copy);
        requireArgument(Double.isFinite(thresholdPercent) && thresholdPercent >= 0,
                "threshold must be a finite percentage of 0 or more, not %s", thresholdPercent);
    }

    /** The defaults: every master weight 1, threshold 2 %, empty masters left out. */
    public static RebalanceOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.weights.putAll(weights);
        b.thresholdPercent = thresholdPercent;
        b.useEmptyMasters = useEmptyMasters;
        return b;
    }

    /** The weight given to {@code node} (as it was referred to here), or {@link #DEFAULT_WEIGHT}. */
    public double weight(String node) {
        return weights.getOrDefault(node, DEFAULT_WEIGHT);
    }

    /** Builds {@link RebalanceOptions}; the values are checked by {@link #build()}. */
    public static final class Builder {

        private final TreeMap<String, Double> weights = new TreeMap<>();
        private double thresholdPercent = DEFAULT_THRESHOLD_PERCENT;
        private boolean useEmptyMasters = DEFAULT_USE_EMPTY_MASTERS;

        private Builder() {
        }

        /** Sets the weight of one master, replacing an earlier weight for the same reference. */
        public Builder weight(String node, double weight) {
            weights.put(node, weight);
            return this;
        }

        /** Adds these weights, replacing earlier ones for the same references. */
        public Builder weights(Map<String, Double> values) {
            weights.putAll(values);
            return this;
        }

        public Builder thresholdPercent(double value) {
            thresholdPercent = value;
            return this;
        }

        public Builder useEmptyMasters(boolean value) {
            useEmptyMasters = value;
            return this;
        }

        /**
         * @throws NullPointerException if a node reference or weight is null
         * @throws IllegalArgumentException naming the value if one is out of range
         */
        public RebalanceOptions build() {
            return new RebalanceOptions(weights, thresholdPercent, useEmptyMasters);
        }
    }
}
